"""factsite: a static-site generator for data explainers in which every figure has provenance.

The pipeline is visible in the module names: load -> validate -> render -> write.
"""
