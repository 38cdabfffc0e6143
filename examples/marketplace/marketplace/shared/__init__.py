"""The shared kernel: value types and the in-process event bus every module may use."""
