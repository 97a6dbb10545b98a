package main

import "github.com/usermgmt-go/sdk/usermgmt"

func progressOf(done, total int) usermgmt.Progress {
	return usermgmt.Progress{Done: done, Total: total, Created: done}
}
