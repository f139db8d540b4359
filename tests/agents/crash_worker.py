"""A worker process for the crash test: approves the plan and shoots slowly until the test kills it (-9)."""

from __future__ import annotations

import sys
from pathlib import Path

from doubles import CountingGenerator, scripted_crew

from agents.production.decisions import CreatorDecision
from agents.studio import Studio

if __name__ == "__main__":
    log, project = Path(sys.argv[1]), sys.argv[2]
    studio = Studio(llm=scripted_crew(), generator=CountingGenerator(log, delay_s=0.6))
    studio.decide_all(project, CreatorDecision(kind="approve_plan"))
