package kv

// WithBatchBytes lets tests lower the request size bound of one INSERT.
var WithBatchBytes = withBatchBytes
