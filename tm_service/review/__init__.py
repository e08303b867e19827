"""Reviewing a finished translation against the memory: references, sacrebleu scores, flags.

No Flask here: the API view and the `tm score` command both call `review_segments` or
`review_documents` and serialise the `Review` they get back.
"""
