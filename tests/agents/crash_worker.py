"""A worker process for the crash test: approves the plan and shoots until the crash point named in
``DAILIES_FAULT`` kills it (-9; see ``generator.faults``)."""

from __future__ import annotations

import sys
from pathlib import Path

from doubles import CountingGenerator, scripted_crew

from agents.production.decisions import CreatorDecision
from agents.studio import Studio

if __name__ == "__main__":
    log, project = Path(sys.argv[1]), sys.argv[2]
    studio = Studio(llm=scripted_crew(), generator=CountingGenerator(log))
    studio.decide_all(project, CreatorDecision(kind="approve_plan"))
