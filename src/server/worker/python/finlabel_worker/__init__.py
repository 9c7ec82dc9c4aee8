"""FinLabel's Python worker: JSON-RPC 2.0 over stdio with the LSP / vscode-jsonrpc framing."""
