// Command etcd is etcd's server, built from the release that k8s.io/kubernetes
// requires, so the control plane needs nothing outside the Go module proxy.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
