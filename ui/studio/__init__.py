"""The studio in the browser: a Gradio page over ``agents.Studio`` (``dailies ui``).

``app.build_app(studio)`` lays out the page, ``handlers`` holds what each control does (plain
functions), ``jobs`` runs the crew's long work in the background, ``access`` keeps users to their own
projects and files.
"""
