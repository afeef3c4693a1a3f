"""Build-time helpers of the book: the Sphinx extension (``sphinx``), the execution-cache
key (``cache``, run by ``make book``) and the figures page (``figindex``)."""
