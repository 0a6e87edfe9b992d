//go:build tools

// Package tools pins the control plane's commands to this module's go.mod,
// so `go build k8s.io/kubernetes/cmd/kube-apiserver` resolves here.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
)
