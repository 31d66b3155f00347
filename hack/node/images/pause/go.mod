module ebb.dev/hack/pause

go 1.22
