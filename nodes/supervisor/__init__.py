"""The pipeline's own nodes: plan sources and batches, the joins, the KB write and the run report."""
