"""The line-echo protocol's runtime adapter (vendored as ``mockc_runtime/lineecho``)."""
