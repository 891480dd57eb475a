"""HTTP target: OpenAPI operations served over HTTP."""
