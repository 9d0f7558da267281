"""Word cues that sharpen the similarity router: the few words that all but decide an intent ("alert", "churn",
"note for", "search ... for"), which intents take no client, and the vocabulary that marks a message as being
about client work at all (a message with none of it, no name and only a weak match is out of scope).

Similarity over examples decides between paraphrases; these cues decide between intents whose examples share
most of their words ("whats flagged on my accounts" vs "which accounts are at risk").
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from agent.offline.vocabulary import words

CUE_BOOST = 0.12  # added to an intent's similarity when one of its cues is in the message
# Cue words that name their intent outright ("churn", "benchmark"): they count twice.
STRONG_CUES = {
    "churn_risk": re.compile(r"\bchurn"),
    "benchmark_client": re.compile(r"\bbenchmark"),
    "generate_proof": re.compile(r"\bproof\b|\bcase stud"),
    "simulate_weights": re.compile(r"\bweights?\b|\bsimulat"),
    "list_follow_ups": re.compile(r"\bfollow[- ]?ups?\b(?!.*\b(?:log|call|email|met)\b)"),
    "out_of_scope": re.compile(r"\btranslat|\bhow (?:do|would) (?:you|i) say\b"),
}
CLIENTLESS_PENALTY = 0.15  # taken from portfolio-wide intents when the message names one client

_CUES: dict[str, tuple[str, ...]] = {
    "list_alerts": (r"\balerts?\b(?!.*\b(ack|acknowledge|snooze|dismiss|resolve)\b)", r"\bflagged\b", r"\bfired\b"),
    "update_alert": (
        r"\b(ack|acknowledge|snooze|dismiss|unsnooze)\b",
        r"\b(resolve|close|clear)\b.*\balerts?\b",
        r"\balert\s*#?\d+",
    ),
    "list_at_risk_clients": (
        r"\bat[- ]risk (?:clients|accounts|accts|customers|list)\b",
        r"\bin trouble\b",
        r"\b(?:biggest|largest|most|sharpest) (?:health |score )?(?:drops?|declines?|falls?|slides?)\b",
        r"\b(?:health|score)s? (?:drops?|declines?|dropped|declined|fell|falling|dropping)\b",
    ),
    "list_renewals": (r"\brenew(als?|ing|s)?\b", r"\bup for renewal\b", r"\bcontracts? (?:end|expir)"),
    "churn_risk": (
        r"\bchurn",
        r"\b(?:odds|chances?|likelihood|probability)\b",
        r"\bstick around\b|\bstay(?:ing)? (?:with us|on)\b",
        # the client leaving, not a person at the client ("is their champion about to quit?")
        r"^(?!.*\b(?:champion|sponsor|contact|cfo|ceo|cto|coo|vp|admin|manager|director|he|she|him|her|person|"
        r"note|log|email|draft)\b).*\b(?:leave|leaves|leaving|walk|walks|cancel|cancels|quit|quits)\b",
        r"\blikely to (?:leave|walk|cancel|churn|go|quit|drop)",
        r"\b(?:walk|walking) away\b|\bto walk\b",
        r"\b(?:will|gonna|going to|likely to) (?:\w+ )?renew\b",
        r"\bcancel(?:lation)? risk\b",
    ),
    "search_timeline": (
        r"\bsearch\b",
        r"\bmention",
        r"\bbr(?:ing|ought) up\b",
        r"\b(?:say|said|saying|talk|talked|asked?|complain\w*|hear|heard|repl(?:y|ied)|respond(?:ed)?|get back)"
        r" (?:to us )?(?:anything |something )?(?:about|re|on)\b",
        r"\b(?:anything|something|any word) (?:about|on|re)\b",
        r"\bcomplaints?\b",
        r"\b(?:emails?|notes|timeline|history|tickets) (?:for|about|on|re)\b",
    ),
    "add_note": (r"\bnote\b(?!.*\b(?:draft|email)\b)", r"\bjot\b", r"\bremember that\b"),
    "log_activity": (
        r"^\s*(?:pls |please )?(?:log|record|track)\b(?!.*\b(?:note|risk|blocker|feedback|outcome|baseline|"
        r"intervention|target)\b)",
        r"\b(?:called|emailed|met with|spoke (?:to|with)|had (?:a|an|our|the) (?:call|meeting|qbr|sync|chat))\b",
        r"\bjust (?:got off|hung up|finished)\b",
    ),
    "draft_outreach": (
        r"\bdraft\b",
        r"\bcompose\b",
        r"\breach out\b",
        r"\bwrite (?:\w+ )?(?:an? |the )?(?:\w+ )?(?:email|e-mail|message|note|to)\b",
        r"\bwrite to\b",
        r"\bsend (?:\w+ )?(?:an? )?(?:\w+ )?(?:email|note|message)\b",
    ),
    "engagement_status": (
        r"\bpaid\b",
        r"\bpayments?\b",
        r"\bdeliverables?\b",
        r"\bmilestones?\b",
        r"\bblocked\b",
        r"\bengagement\b",
        r"\binvoiced?\b(?=.*\b(?:paid|pay|payment)\b)",
    ),
    "benchmark_client": (r"\bbenchmark", r"\bcompare", r"\bstack up\b", r"\bpeers?\b", r"\bcohort\b"),
    "simulate_weights": (r"\bweights?\b", r"\bweighted\b", r"\bsimulat", r"\bcounts? (?:for )?\d"),
    "portfolio_summary": (r"\bportfolio\b", r"\bbook\b(?! (?:me|a)\b)", r"\barr\b"),
    "list_follow_ups": (r"\bfollow[- ]?ups?\b(?!.*\b(?:log|call|email|met)\b)",),
    "activity_summary": (
        r"\bwhat did (?:i|\w+) (?:do|get done|work on)\b",
        r"\brecap\b",
        r"\bhow many (?:calls|meetings|emails|touches|touchpoints|activities)\b",
        r"\bmy (?:week|month)\b",
    ),
    "explain_score_drivers": (
        r"\bwhy\b(?!.*\b(?:invoice|late|paid)\b)",
        r"\bdrivers?\b",
        r"\bdriving\b",
        r"\bbreak ?down\b",
        r"\bdropp(?:ing|ed)\b|\bdragging\b|\bdip(?:ped)?\b|\bslipping\b|\bmoved\b",
    ),
    "get_client_overview": (
        r"\boverview\b",
        r"\bsummary\b(?!.*\bportfolio\b)",
        r"\bsummar",
        r"\bpull up\b",
        r"\brundown\b|\blowdown\b|\bdown ?low\b",
        r"\bhealth ?check\b",
        r"\bwhat should i know\b|\bbrief me\b|\bprep me\b",
        r"\bhow(?:'?s| is| are)? (?:\w+ )?(?:doing|going)\b",
        r"\bwhere (?:are we|do we stand|things stand|we are)\b",
        r"\bhow(?:'?s| is| are) (?:things|it|everything|stuff) (?:at|with|over at|going|looking)\b",
        r"\bwhat(?:'?s| is) (?:going on|happening|new)\b",
    ),
    "generate_proof": (r"\bproof\b", r"\bcase stud", r"\bbefore[- ]and[- ]after\b"),
    "set_result_target": (r"\b(?:goal|target)\b.*\bfrom\b.*\bto\b", r"\bresult target\b"),
    "record_baseline": (r"\bbaseline\b", r"\bstarting (?:point|value)\b"),
    "add_outcome_entry": (
        r"\b(?:down|up) to \d",
        r"\b\d+(?:\.\d+)? ?(?:hours?|hrs?|days?|minutes?|mins?)\b.*\b(?:this|last) week\b",
        r"\b(?:this|last) week\b.*\b\d+(?:\.\d+)? ?(?:hours?|hrs?|days?|minutes?|mins?)\b",
        r"\boutcome\b",
        r"\bscorecard\b",
    ),
    "log_intervention": (
        r"\bintervention\b",
        r"\bwe (?:automated|switched|changed|migrated|moved|rolled out|introduced|implemented|set up|replaced)\b",
    ),
    "add_risk": (r"\b(?:new|add|raise|flag|log)(?: an?| the)? (?:risk|blocker|bottleneck)\b", r"\brisk for\b"),
    "resolve_risk": (
        r"\b(?:risk|blocker)\b.*\b(?:resolved|sorted|fixed|closed|cleared)\b",
        r"\bresolve (?:the )?\w* ?risk",
    ),
    # Requests about language, not clients: "translate ...", "how do you say X in spanish".
    "out_of_scope": (
        r"\btranslat",
        r"\bhow (?:do|would) (?:you|i) say\b",
        r"\bin (?:spanish|french|german|italian|portuguese|chinese|mandarin|japanese|korean|dutch|arabic|hindi|"
        r"russian)\b",
    ),
    "log_feedback": (r"\bfeedback\b", r"\bsaid [\"“]", r"\b(?:said|says|told us) (?:that )?[a-z]", r"\bquote\b"),
}

# Words without which an intent is an unlikely reading, however similar the rest of the message is: a draft is
# asked for with a verb of writing, a log with a verb of doing, the at-risk list with words of trouble.
_SIGNATURES: dict[str, tuple[str, float]] = {
    "draft_outreach": (
        r"\b(?:draft|write|compose|email|e-mail|send|message|reach out|outreach|ping|nudge|check[- ]?in|"
        r"get (?:him|her|them) back|note to|letter|reply|respond|congrat|kudos|thank)",
        0.15,
    ),
    "log_activity": (
        r"\b(?:log|record|track|had|have had|met|meet|spoke|speak|called|call|emailed|email|meeting|qbr|ran|run|"
        r"session|talked|chatted|visited|visit|just|demo|training|workshop|onsite|sync|kickoff|touch ?base|"
        r"caught up|lunch|dinner|presented|walked)",
        0.15,
    ),
    "list_renewals": (r"\b(?:renew|expir|contract|up for|due|term|end)", 0.1),
    "list_at_risk_clients": (
        r"\b(?:risk|risky|trouble|shaky|wobbly|rocky|weak|sick|bad|poor|losing|unhappy|attention|worr|red|critical|slipp|drop|fell|fallen|falling|declin|struggl|"
        r"danger|concern|bad shape|help|watch|urgent|health|unhealthy|problem|fire|burning|need)",
        0.1,
    ),
    "explain_score_drivers": (
        r"\b(?:score|health|drop|down|dip|slipp|dragg|declin|moved|chang|driv|break ?down|behind|cause|"
        r"what happened|wrong|worse|fell|falling|tank|low|high|red|at risk|on there|on the list|up|improv|better)",
        0.1,
    ),
}

# Intents about the whole portfolio: when the message names one client, these are the less likely reading.
CLIENTLESS = frozenset(
    {
        "list_at_risk_clients",
        "portfolio_summary",
        "list_renewals",
        "list_follow_ups",
        "activity_summary",
        "simulate_weights",
    }
)

# Words of client-success work. A message with none of these (or a near spelling), no client, contact or staff
# name and no pronoun for one is not about this job, whatever it resembles.
DOMAIN_WORDS = words(
    "client clients account accounts acct accts customer customers portfolio book books arr revenue mrr health "
    "healthy score scores risk risks risky churn churning renew renews renewal renewals renewing alert alerts "
    "flagged flag flags follow followup followups follow-up follow-ups overdue due note notes call calls called "
    "meeting meetings met email emails emailed qbr qbrs draft drafts outreach log logged baseline target targets "
    "goal goals outcome outcomes intervention interventions feedback proof engagement engagements milestone "
    "milestones deliverable deliverables payment payments paid invoice invoices benchmark benchmarks compare "
    "peers weights weighting simulate activity activities timeline escalation escalations escalated champion "
    "sponsor contact contacts adoption usage nps ticket tickets support onboarding training kickoff contract "
    "contracts seats licenses licence license expansion upsell csm csms trouble attention worry dropping drop "
    "dropped slipping blocker blockers blocked status summary overview rundown lowdown recap touches touchpoints "
    "interactions at-risk red yellow green critical monitor drivers driver dip dipped declining decline case "
    "study casestudy result results metric metrics week's weekly snooze dismiss acknowledge ack resolve resolved"
)
PEOPLE_PRONOUNS = re.compile(r"\b(they|them|their|he|she|his|her|him)\b")


def cue_intents(text: str) -> set[str]:
    """Intents whose cue words the message contains."""
    lowered = text.lower()
    return {intent for intent, patterns in _compiled().items() if any(p.search(lowered) for p in patterns)}


@lru_cache(maxsize=1)
def _signatures() -> dict[str, tuple[re.Pattern[str], float]]:
    return {intent: (re.compile(pattern), penalty) for intent, (pattern, penalty) in _SIGNATURES.items()}


@lru_cache(maxsize=1)
def _compiled() -> dict[str, tuple[re.Pattern[str], ...]]:
    return {intent: tuple(re.compile(pattern) for pattern in patterns) for intent, patterns in _CUES.items()}


def adjust(scores: dict[str, float], text: str, *, names_client: bool, names_staff: bool = False) -> dict[str, float]:
    """Similarity scores with cue boosts; portfolio-wide intents lowered when a client is named, and intents about
    one client lowered when only a staff member is ("how is john's book doing")."""
    cues = cue_intents(text)
    lowered = text.lower()
    adjusted = {}
    for intent, score in scores.items():
        if intent in cues:
            score += CUE_BOOST
            if (strong := STRONG_CUES.get(intent)) is not None and strong.search(lowered):
                score += CUE_BOOST
        signature = _signatures().get(intent)
        if signature is not None and not signature[0].search(lowered):
            score -= signature[1]
        if names_client and intent in CLIENTLESS:
            score -= CLIENTLESS_PENALTY
        if names_staff and not names_client and intent not in CLIENTLESS | NOT_TOOLS:
            score -= CLIENTLESS_PENALTY
        adjusted[intent] = score
    return adjusted


NOT_TOOLS = frozenset({"greeting", "out_of_scope"})


def has_domain_word(text: str) -> bool:
    """The message uses the vocabulary of client work (typos within a letter or two count)."""
    words = re.findall(r"[a-z][a-z'-]+", text.lower())
    for word in words:
        if word in DOMAIN_WORDS or word.removesuffix("'s") in DOMAIN_WORDS:
            return True
        if len(word) >= 5 and process.extractOne(word, DOMAIN_WORDS, scorer=fuzz.ratio, score_cutoff=85):
            return True
    return False


def refers_to_someone(text: str) -> bool:
    return bool(PEOPLE_PRONOUNS.search(text.lower()))
