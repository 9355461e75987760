// Package backend chooses and starts the GoMLX compute backend for textgen, in one place used by the CLI,
// the tests and the notebooks.
//
// The policy (see docs/backends.md):
//
//  1. $GOMLX_BACKEND, when set: "go", "xla" (any local plugin), "xla:cpu", "xla:cuda" or "xla:/abs/plugin.so",
//     optionally followed by ",option=value" backend options. An explicit choice that cannot be honoured is
//     an error, never a silent fallback.
//  2. Otherwise XLA when a PJRT plugin is found locally: CUDA when an NVIDIA device and the CUDA plugin are
//     present, else CPU. Plugins are searched in $PJRT_PLUGIN_LIBRARY_PATH, the checkout's .textgen/pjrt
//     (installed by `textgen setup`), ~/.local/lib/go-xla and /usr/local/lib/go-xla.
//  3. Otherwise the pure-Go backend.
//
// [Choose] says which backend runs and why in one line ([Choice.String]). This package disables go-xla's
// automatic plugin download (it fetches from GitHub with no timeout): nothing here touches the network.
// Installing a plugin is the explicit step [InstallCPUPlugin], run by `textgen setup`.
package backend
