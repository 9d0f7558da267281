"""The three consultancy engagements the demo consultant owns (building, shipped, just approved) and their outcomes."""

from __future__ import annotations

from domain.demo.engagements import EngagementSeed, MilestoneSeed, PaymentSeed
from domain.demo.outcomes import OutcomeSeed
from domain.enums import DeliverableStatus, InterventionKind, PaymentStatus, ProposalStatus

DONE, DOING, BLOCKED, TODO = (
    DeliverableStatus.COMPLETED,
    DeliverableStatus.IN_PROGRESS,
    DeliverableStatus.BLOCKED,
    DeliverableStatus.PENDING,
)

ENGAGEMENTS = (
    EngagementSeed(
        story="engagement_building",
        slug="northwind-logistics",
        title="Automated operations reporting for Northwind Logistics",
        purpose="Replace the Monday manual reporting scramble with overnight, exception-based reports.",
        status=ProposalStatus.ACTIVE,
        approved_days_ago=50,
        milestones=(
            MilestoneSeed("Week 2: Discovery report", "foundation", -36, DONE),
            MilestoneSeed("Week 4: Reporting data model", "foundation", -22, DONE),
            MilestoneSeed("Week 6: Automated weekly reports", "integration", -8, TODO),  # overdue
            MilestoneSeed(
                "Week 7: Carrier API integration",
                "integration",
                -1,
                BLOCKED,
                "Blocked: waiting on carrier API credentials from Northwind IT.",
            ),
            MilestoneSeed("Week 8: Midpoint dashboard review", "enrichment", 6, DOING),
            MilestoneSeed("Week 10: Rollout and team training", "enablement", 20, TODO),
        ),
        payments=(
            PaymentSeed("Deposit (30%)", 14_400, -50, PaymentStatus.PAID),
            PaymentSeed("Midpoint milestone (30%)", 14_400, -10, PaymentStatus.OVERDUE),
            PaymentSeed("Final delivery (40%)", 19_200, 25, PaymentStatus.PENDING),
        ),
    ),
    EngagementSeed(
        story="engagement_shipped",
        slug="businesspoint-law",
        title="Conflict-check automation for BusinessPoint Law",
        purpose="Cut the hours associates spend on conflict checks for every new matter.",
        status=ProposalStatus.ACTIVE,
        approved_days_ago=120,
        milestones=(
            MilestoneSeed("Week 2: Intake process map", "foundation", -105, DONE),
            MilestoneSeed("Week 5: Conflict search across matters", "integration", -84, DONE),
            MilestoneSeed("Week 8: Intake form and checklist", "enrichment", -63, DONE),
            MilestoneSeed("Week 10: Go-live", "enablement", -49, DONE),
            MilestoneSeed("Week 16: Hypercare review", "enablement", 10, DOING),
        ),
        payments=(
            PaymentSeed("Deposit (40%)", 12_000, -120, PaymentStatus.PAID),
            PaymentSeed("Go-live (40%)", 12_000, -45, PaymentStatus.PAID),
            PaymentSeed("Hypercare sign-off (20%)", 6_000, 15, PaymentStatus.PENDING),
        ),
    ),
    EngagementSeed(
        story="engagement_approved",
        slug="riverside-dental",
        title="Patient enquiry response workflow for Riverside Dental Group",
        purpose="Answer new patient enquiries within two hours across all five practices.",
        status=ProposalStatus.APPROVED,
        approved_days_ago=5,
        milestones=(
            MilestoneSeed("Week 2: Enquiry channel audit", "foundation", 9, TODO),
            MilestoneSeed("Week 4: Shared inbox and routing", "integration", 23, TODO),
            MilestoneSeed("Week 6: Reply templates and reminders", "enrichment", 37, TODO),
        ),
        payments=(
            PaymentSeed("Deposit (50%)", 9_000, 10, PaymentStatus.PENDING),
            PaymentSeed("Completion (50%)", 9_000, 45, PaymentStatus.PENDING),
        ),
    ),
)

# Seed 000: what each engagement promised and what the weekly scorecard shows so far.
OUTCOMES = (
    OutcomeSeed(
        story="engagement_building",
        current_state="Ops managers compile carrier and delivery reports by hand from three systems every Monday.",
        target_state="Reports build overnight; managers only review the exceptions.",
        metric="hours spent on manual reporting per week",
        unit="hours/week",
        current_value=32.0,
        target_value=8.0,
        started_days_ago=50,
        weeks=12,
        scorecard=(30.0, 27.0, 24.0, 21.5, 19.0),
        interventions=(
            (InterventionKind.AUTOMATION, "Nightly report build from WMS and TMS exports", 20),
            (InterventionKind.WORKFLOW, "Exception-only review for ops managers", 30),
            (InterventionKind.TOOL_STACK, "Warehouse views replace the spreadsheet consolidation", 38),
        ),
        open_risk="Carrier API credentials still missing; automated tracking data is blocked.",
        resolved_risk=(
            "Legacy TMS export dropped half the columns.",
            "Vendor enabled the full export; 90 days backfilled.",
        ),
        feedback="Monday reporting used to eat my whole morning. Now I open one dashboard and I'm done by 9:30.",
    ),
    OutcomeSeed(
        story="engagement_shipped",
        current_state="Associates run conflict checks by hand across four systems for every new matter.",
        target_state="One automated search at intake; associates only review the hits.",
        metric="hours spent on conflict checks per week",
        unit="hours/week",
        current_value=20.0,
        target_value=5.0,
        started_days_ago=120,
        weeks=14,
        scorecard=(14.0, 11.5, 9.0, 8.0, 7.0, 6.5, 6.0, 5.5),
        interventions=(
            (InterventionKind.AUTOMATION, "Automated conflict search across matters and contacts", 35),
            (InterventionKind.PROCESS, "Intake checklist before a matter is opened", 56),
        ),
        open_risk="Two partners still run manual checks out of habit; savings are understated.",
        resolved_risk=("Old matters lacked client identifiers.", "Matched 4,200 matters by name and date."),
        feedback="New matters open the same day now. I can't remember the last time a conflict check held us up.",
    ),
    OutcomeSeed(
        story="engagement_approved",
        current_state="New patient enquiries wait a day or more in five separate practice inboxes.",
        target_state="Every enquiry gets a reply within two hours from a shared, routed inbox.",
        metric="hours to first reply to a new patient enquiry",
        unit="hours",
        current_value=26.0,
        target_value=2.0,
        started_days_ago=5,
        weeks=6,
        scorecard=(),
        interventions=(),
        open_risk=None,
        resolved_risk=None,
        feedback=None,
    ),
)
