"""One module per part of the studio page: what each control does (plain functions, unit-tested without a
browser) and ``build(desk, page)``, which lays the part out and wires it.

``projects`` (the sidebar), ``crew`` (the header: status, what waits, approve/resume/stop), then the tabs
in page order: ``chat``, ``script``, ``shots``, ``storyboard``, ``bible``, ``cut``.
"""
