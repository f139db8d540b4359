"""The studio in the browser: a Gradio page over ``agents.Studio`` (``dailies ui``).

``app.build_app(studio)`` lays out the page top to bottom; ``tabs/`` holds one module per part of it
(what each control does, as plain functions, and the layout that wires them); ``desk`` holds the
facade, the job runner and the one ownership guard every handler uses; ``polling`` the fingerprints
the page polls; ``api`` the named endpoints for ``gradio_client``; ``jobs`` runs the crew's long work in
the background; ``access`` keeps logins and the data folder's files to their owners.
"""
