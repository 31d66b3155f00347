module ebb.dev/hack/model-server

go 1.22
