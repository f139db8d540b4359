"""What getting the crew ready costs, said before it happens: the page shows it instead of a silent wait.

Why its own words: the first run loads the crew's LLM, and the bundled model is converted from its GGUF file on
first use (about a minute on two busy CPU cores, measured; a second or two afterwards). Which of the two will
happen is known before starting (the converted folder exists or not), so the studio can say it up front.
"""

from __future__ import annotations

from agents.settings import Settings


def loading_message(settings: Settings) -> str:
    """One line on what loading the configured LLM does now: converting the bundled model, loading it, or
    connecting to a server."""
    name, _, arg = settings.llm.partition(":")
    if name == "bundled":
        from agents.llm.bundled import MODEL_NAME, converted_folder

        if not (converted_folder(settings.home) / "config.json").is_file():
            return f"converting the bundled model ({MODEL_NAME}) for its first use — once, then it loads in seconds"
        return f"loading the bundled model ({MODEL_NAME})"
    if name == "openai":
        return f"connecting to the model server {arg.partition('#')[0]}"
    return f"loading the model {arg or name}"
