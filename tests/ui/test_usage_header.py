"""The studio header shows the user's rendered minutes this month per tier and what is left of the quota."""

from __future__ import annotations

from agents.studio import Studio
from ui.studio.desk import Desk
from ui.studio.tabs.crew import header


def test_the_header_shows_this_months_usage_and_the_quota(studio: Studio) -> None:
    studio.settings = studio.settings.model_copy(update={"quota_final_minutes": 10.0})
    project = studio.new("A keeper and her son in a storm", runtime_s=12, owner="ana").id
    studio.store.add_usage("ana", studio.usage("ana")[0].month, "final", 90.0)
    studio.store.add_usage("ben", studio.usage("ben")[0].month, "final", 500.0)  # someone else's minutes
    text = header(Desk(studio=studio), "ana", project)
    assert "**Rendered this month:**" in text
    assert "final: 1.50 min rendered" in text and "8.50 of 10 min left" in text
    assert "draft: 0.00 min rendered" in text and "unlimited" in text
