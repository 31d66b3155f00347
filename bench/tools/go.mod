module ebb.dev/bench/tools

go 1.22
