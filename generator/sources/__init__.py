"""Read and check the YAML sources, then build the model: files -> `Project`, or every problem located."""
