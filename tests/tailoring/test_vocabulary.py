"""The skills vocabulary: aliases, false positives, implications and data integrity."""

from __future__ import annotations

import pytest

from finetune.errors import ValidationError
from finetune.tailoring.vocabulary import Term, Vocabulary, default_vocabulary, parse_terms


def names(text: str) -> list[str]:
    return [term.name for term in default_vocabulary().find(text)]


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("k8s", "Kubernetes"),
        ("JS", "JavaScript"),
        ("RN", "Registered Nurse"),
        ("golang", "Go"),
        ("CPA", "Certified Public Accountant"),
        ("PMP", "Project Management Professional"),
        ("WMS", "Warehouse Management Systems"),
        ("SEO", "Search Engine Optimization"),
        ("IEP", "Individualized Education Program"),
        ("BLS", "Basic Life Support"),
    ],
)
def test_alias_resolves_to_canonical_term(alias: str, canonical: str) -> None:
    """Common abbreviations are found and named by their canonical label."""
    assert names(f"Experience with {alias} required.") == [canonical]
    term = default_vocabulary().get(alias)
    assert term is not None and term.name == canonical


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Build our go-to-market plan and go to market fast", "Go"),
        ("Ready to go when the shift starts", "Go"),
        ("Excellent written skills, excels under pressure", "Microsoft Excel"),
        ("Senior JavaScript engineer", "Java"),
        ("Investment in R&D and AT&T partnerships", "R"),
        ("Report to C-level executives and the C-suite", "C"),
        ("Vitamin C and Class C licences", "C"),
        ("Measure 5 ml doses", "Machine Learning"),
        ("We react quickly to customer feedback", "React"),
        ("Our turnaround time is short", "Registered Nurse"),
        ("An epic journey with a swift team", "Epic"),
        ("Visit example.go or github.com/r", "Go"),
    ],
)
def test_no_false_positive(text: str, absent: str) -> None:
    """Short or ambiguous names do not match ordinary words, parts of words or other terms."""
    assert absent not in names(text)


def test_case_sensitive_short_names_still_match_when_written_as_skills() -> None:
    """ "Go", "R" and "C" match as languages when capitalised and standing alone."""
    assert names("Services in Go, analysis in R, drivers in C.") == ["Go", "R", "C"]


def test_longest_alias_wins() -> None:
    """ "C++" is not read as "C", "React Native" not as "React"."""
    assert names("C++ and React Native apps") == ["C++", "React Native"]


def test_find_returns_distinct_terms_in_order_of_first_appearance() -> None:
    """Repeated mentions and aliases of one term collapse into its first position."""
    assert names("Kubernetes, Python, k8s, python3 and Docker") == [
        "Kubernetes",
        "Python",
        "Docker",
    ]


def test_separators_and_apostrophes_are_normalised() -> None:
    """Hyphens, line breaks and typographic apostrophes do not hide a term."""
    assert names("machine-learning, machine\nlearning, valid driver’s license") == [
        "Machine Learning",
        "Driver's License",
    ]


def test_implied_is_transitive_and_excludes_inputs() -> None:
    """EKS evidences Kubernetes, AWS, containers and cloud; the inputs are not repeated."""
    implied = default_vocabulary().implied(["Amazon EKS", "Kubernetes"])
    assert {"Amazon Web Services", "Containerization", "Cloud Computing"} <= implied
    assert "Amazon EKS" not in implied and "Kubernetes" not in implied
    assert default_vocabulary().implied(["Django"]) == {"Python"}


def test_default_vocabulary_covers_many_professions() -> None:
    """Several hundred terms across software, healthcare, finance, teaching, logistics and more."""
    vocabulary = default_vocabulary()
    fields = {term.field for term in vocabulary}
    assert len(vocabulary) >= 500
    assert {"software", "healthcare", "accounting", "teaching", "logistics", "marketing"} <= fields
    assert {"management", "data", "sales", "hr", "design", "legal", "general"} <= fields
    assert {term.kind for term in vocabulary} == {"hard", "soft", "certification"}


def test_get_accepts_canonical_names_and_is_case_insensitive_for_long_aliases() -> None:
    """Lookup by name or alias; short aliases keep their case."""
    vocabulary = default_vocabulary()
    assert vocabulary.get("kubernetes") is vocabulary.get("Kubernetes")
    assert vocabulary.get("go") is None
    assert vocabulary.get("no such skill") is None


def _term(name: str, aliases: tuple[str, ...] = (), implies: tuple[str, ...] = ()) -> Term:
    return Term(name=name, kind="hard", aliases=aliases, implies=implies, field="test")


def test_alias_naming_two_terms_is_rejected() -> None:
    """A vocabulary where one alias would mean two things fails to load."""
    with pytest.raises(ValidationError, match="names both"):
        Vocabulary([_term("Alpha", ("ab",)), _term("Beta", ("ab",))])


def test_unknown_implication_is_rejected() -> None:
    """`implies` must name terms that exist."""
    with pytest.raises(ValidationError, match="implies unknown"):
        Vocabulary([_term("Alpha", implies=("Gamma",))])


def test_parse_terms_reads_columns_and_markers() -> None:
    """TSV rows give name, kind, aliases and implications; "=" marks a case-sensitive alias."""
    terms, exact = parse_terms("# comment\nFoo\thard\t=Fo|foo lang\tBar\nBar\tsoft\n", "x")
    assert terms[0] == Term("Foo", "hard", ("Fo", "foo lang"), ("Bar",), "x")
    assert terms[1] == Term("Bar", "soft", (), (), "x")
    assert exact == {"Fo"}


def test_parse_terms_rejects_bad_kind() -> None:
    """A typo in the kind column is a clear error naming the line."""
    with pytest.raises(ValidationError, match="line 1"):
        parse_terms("Foo\thardskill\n", "x")


def test_ignored_phrase_hides_the_term_inside_it() -> None:
    """An ignore-list phrase covers its text so the shorter term in it is not found."""
    vocabulary = Vocabulary([_term("Zed", ("zed",))], ignored=("zed free",))
    assert vocabulary.find("zed free zone, zed") == [vocabulary.get("Zed")]
    assert len(vocabulary.spans("zed free zone")) == 0


def test_text_whose_lower_case_changes_length_is_still_matched_in_place() -> None:
    """Offsets stay right for text such as "İ" whose lower-casing adds a character."""
    text = "İstanbul team: Kubernetes"
    [(start, end, term)] = default_vocabulary().spans(text)
    assert term.name == "Kubernetes" and text[start:end] == "Kubernetes"


# Issue 10: ambiguous short aliases only count in their own context, on job and resume side.


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Languages: Python, OCaml, ML, Haskell", "Machine Learning"),
        ("Programming languages: Standard ML, Scheme, C", "Machine Learning"),
        ("Workshop paper at the ML Family Workshop", "Machine Learning"),
        ("ACM SIGPLAN Workshop on ML", "Machine Learning"),
        ("Maintained F5 BIG-IP LTM and GTM for global DNS load balancing", "Go-to-Market Strategy"),
        ("Deployed GTM tags and GA4 events for the marketing site", "Go-to-Market Strategy"),
        ("Own Core Web Vitals (LCP, INP, CLS) for every page", "Vital Signs"),
        ("Improve vitals such as LCP and CLS on the site", "Vital Signs"),
        ("Set performance budgets for every page", "Budgeting"),
        ("Define SLOs and error budgets with the SRE team", "Budgeting"),
        ("Delivered the migration on time and within budget", "Budgeting"),
        ("Reduce JavaScript bundle budgets by 30 KB", "Budgeting"),
        ("Ensure patient compliance with follow-up care", "Regulatory Compliance"),
        ("Improved medication compliance through teaching", "Regulatory Compliance"),
        ("Ledgerline is a B2B SaaS company", "B2B Sales"),
        ("Built an adaptive learning platform for schools", "Adaptability"),
        ("Trained residents on adaptive equipment", "Adaptability"),
        ("Flexibility to work nights and weekends", "Adaptability"),
        ("Triage bugs and incidents from the support queue", "Triage"),
        ("Report RAG status to the steering committee", "Retrieval-Augmented Generation"),
        ("Preserve ESI for litigation holds", "Emergency Severity Index"),
        ("Run accessibility audits against WCAG", "Auditing"),
        ("Sourcing and screening applicants", "Procurement"),
        ("Configure routing and switching with BGP and OSPF", "Route Planning"),
        ("Freelance Illustrator and muralist", "Adobe Illustrator"),
        ("Fine-tune our onboarding process", "Fine-Tuning"),
        ("Load shipping containers at the port", "Containerization"),
        ("Based in Aurora, Colorado", "Amazon Aurora"),
        ("Based in Palo Alto, CA", "Palo Alto Networks"),
        ("Break Epics into user stories in Jira", "Epic"),
        ("Community outreach programs for families", "Outreach"),
        ("Partner with the creative team on ad creative", "Creativity"),
        ("Draw ER diagrams for the schema", "Emergency Nursing"),
        ("Closing the books each month", "Closing Deals"),
        ("Resilient distributed systems", "Resilience"),
        ("Autonomous vehicles and robotics", "Independent Work"),
        ("Go-To-Market Strategy for new launches", "Go"),
        ("LLVM backend development for RISC-V", "Back-End Development"),
        ("Instruction selection, scheduling and register allocation", "Scheduling"),
        ("480V three-phase power distribution", "Distribution"),
        ("PLC troubleshooting on Allen-Bradley controls", "Professional Learning Communities"),
        ("Completed the Associate Professional in Human Resources (aPHR)", "PHR"),
        ("Safety and food-safety audits", "Auditing"),
    ],
)
def test_guarded_alias_out_of_context_is_not_a_term(text: str, absent: str) -> None:
    """An ambiguous alias (ML, GTM, vitals, budget, compliance, B2B, adaptive…) is not read as the
    skill when its sentence says it means something else."""
    assert absent not in names(text)


@pytest.mark.parametrize(
    ("text", "present"),
    [
        ("Skills: Python, SQL, ML, NLP", "Machine Learning"),
        ("Built ML pipelines for fraud detection", "Machine Learning"),
        ("Owned the GTM plan for three product launches", "Go-to-Market Strategy"),
        ("Monitored vitals for six patients per shift", "Vital Signs"),
        ("Managed a $2M program budget", "Budgeting"),
        ("Ensure compliance with SOX and state regulations", "Regulatory Compliance"),
        ("5 years of B2B sales experience", "B2B Sales"),
        ("Closed B2B deals with mid-market buyers", "B2B Sales"),
        ("Highly adaptive and calm under pressure", "Adaptability"),
        ("Triage patients in the ED", "Triage"),
        ("ESI triage for 40 patients a shift", "Emergency Severity Index"),
        ("Built RAG over our docs with LLMs", "Retrieval-Augmented Generation"),
        ("Support the year-end audit", "Auditing"),
        ("Strategic sourcing of raw materials", "Procurement"),
        ("Route optimization and routing for 40 drivers", "Route Planning"),
        ("Photoshop, Illustrator and InDesign", "Adobe Illustrator"),
        ("Fine-tune LLMs on support transcripts", "Fine-Tuning"),
        ("Docker containers on ECS", "Containerization"),
        ("Aurora PostgreSQL on AWS", "Amazon Aurora"),
        ("Palo Alto firewalls and Panorama", "Palo Alto Networks"),
        ("Charted in Epic", "Epic"),
        ("Sequences in Outreach and Salesloft", "Outreach"),
        ("Creative problem solver", "Creativity"),
        ("Closing deals with VP-level buyers", "Closing Deals"),
        ("Training in Challenger or SPIN Selling", "Challenger Sale"),
        ("Program PLCs on Allen-Bradley controls", "Programmable Logic Controllers"),
        ("Weekly PLC meetings with grade-level teams", "Professional Learning Communities"),
        ("Senior Backend Engineer", "Back-End Development"),
        ("Appointment scheduling for three clinics", "Scheduling"),
    ],
)
def test_guarded_alias_in_context_is_still_found(text: str, present: str) -> None:
    """The same aliases keep their recall where the sentence is about the skill."""
    assert present in names(text)


def test_xlookup_is_its_own_term_not_vlookup() -> None:
    """XLOOKUP is not an alias of VLOOKUP and does not imply it: a resume with XLOOKUP does not
    claim VLOOKUP."""
    assert names("Built reports with XLOOKUP") == ["XLOOKUP"]
    assert "VLOOKUP" not in default_vocabulary().implied(["XLOOKUP"])


@pytest.mark.parametrize(
    ("specific", "general"),
    [
        ("Amazon EKS", "Kubernetes"),
        ("Epic", "Electronic Health Records"),
        ("MariaDB", "MySQL"),
        ("AWS Fargate", "Containerization"),
        ("SAP FICO", "SAP"),
        ("Know Your Customer", "Anti-Money Laundering"),
        ("MLflow", "Experiment Tracking"),
        ("Usability Testing", "User Research"),
        ("MEDDPICC", "MEDDIC"),
        ("Cold Calling", "Prospecting"),
        ("DCF Analysis", "Valuation"),
        ("Component Libraries", "Design Systems"),
        ("Design Tokens", "Design Systems"),
        ("PowerFlex", "Variable Frequency Drives"),
        ("Studio 5000", "PLC Troubleshooting"),
        ("Relativity", "Document Review Platforms"),
        ("Everlaw", "Document Review Platforms"),
        ("Freshdesk", "Ticketing Systems"),
        ("Jira Align", "PPM Tools"),
        ("Google Cloud Composer", "Apache Airflow"),
        ("Argo CD", "GitOps"),
        ("LambdaMART", "Learning to Rank"),
        ("Largest Contentful Paint", "Core Web Vitals"),
        ("VoiceOver", "Web Accessibility"),
        ("WCAG", "Web Accessibility"),
        ("F5 BIG-IP DNS", "DNS"),
        ("Service Level Objectives", "Service Level Indicators"),
        ("Dexis", "Digital Radiography"),
        ("Dentrix", "Practice Management Software"),
        ("Scaling and Root Planing", "Periodontal Therapy"),
        ("Norepinephrine", "Vasoactive Infusions"),
        ("Progressive Care", "Acute Care"),
        ("CM/ECF", "Court E-Filing"),
        ("CompuLaw", "Docketing"),
        ("PTC Windchill", "PLM Software"),
        ("DVP&R", "Design Verification"),
        ("GCSS-Army", "ERP"),
        ("Oracle Xstore", "POS Systems"),
        ("Reflexis", "Workforce Management Systems"),
        ("UKG", "Timekeeping Systems"),
        ("Progressive Discipline", "Performance Management"),
        ("Command of the Message", "Sales Methodology"),
        ("Net Present Value", "Capital Budgeting"),
        ("Adaptive Planning", "FP&A Software"),
        ("Formative Assessment", "Data-Driven Instruction"),
        ("Camtasia", "Video Editing"),
        ("Shopify", "E-Commerce"),
        ("Diligent", "Board Portals"),
    ],
)
def test_products_and_techniques_are_terms_that_imply_their_category(
    specific: str, general: str
) -> None:
    """A product, standard or technique is its own term, and evidence of its category only by
    `implies` (PowerFlex drives are VFDs, Everlaw is a document review platform)."""
    vocabulary = default_vocabulary()
    assert vocabulary.get(specific) is not vocabulary.get(general)
    assert general in vocabulary.implied([specific])


@pytest.mark.parametrize(
    ("alias", "not_canonical"),
    [
        ("XLOOKUP", "VLOOKUP"),
        ("FigJam", "Figma"),
        ("SciPy", "NumPy"),
        ("MLflow", "MLOps"),
        ("KYC", "Anti-Money Laundering"),
        ("OKRs", "KPIs"),
        ("Fargate", "Amazon ECS"),
        ("CentOS", "Red Hat Enterprise Linux"),
        ("MEDDIC", "Solution Selling"),
        ("prompt engineering", "Large Language Models"),
        ("data lake", "Data Warehousing"),
    ],
)
def test_alias_that_is_not_a_synonym_is_gone(alias: str, not_canonical: str) -> None:
    """Aliases are only other spellings of the same thing."""
    term = default_vocabulary().get(alias)
    assert term is not None and term.name != not_canonical


def test_overlapping_terms_are_both_reported() -> None:
    """ "patient care plans" is patient care and care plans: a term that starts inside another
    and runs past it is a mention too."""
    assert names("Develop patient care plans daily") == ["Patient Care", "Care Planning"]


def test_term_inside_a_longer_term_is_left_to_implies() -> None:
    """ "React Native" does not state React: it implies it."""
    assert names("Shipped React Native apps") == ["React Native"]
    assert "React" in default_vocabulary().implied(["React Native"])


def test_term_inside_an_overlapping_mention_is_a_part_of_it() -> None:
    """ "Microsoft Azure DevOps" is Microsoft Azure and Azure DevOps, not the DevOps practice."""
    assert names("Pipelines in Microsoft Azure DevOps") == ["Microsoft Azure", "Azure DevOps"]


def test_spans_never_overlap_so_callers_can_rewrite_text() -> None:
    """`spans` keeps one mention per stretch of text; `mentions` adds the overlapping ones."""
    vocabulary = default_vocabulary()
    text = "Develop patient care plans daily"
    assert [text[s:e] for s, e, _ in vocabulary.spans(text)] == ["patient care"]
    assert [text[s:e] for s, e, _ in vocabulary.mentions(text)] == ["patient care", "care plans"]


def test_context_is_the_sentence_around_the_alias() -> None:
    """A blocking word in the next sentence or on the next line does not affect the alias."""
    assert "Machine Learning" in names("Built ML models. Languages: OCaml, Haskell")
    assert "Machine Learning" in names("ML\nLanguages: OCaml")


def test_vocabulary_has_the_common_roles_covered() -> None:
    """A larger vocabulary: over a thousand terms, ML and networking among the fields."""
    vocabulary = default_vocabulary()
    assert len(vocabulary) >= 1100
    assert {"ml", "networking", "trades", "engineering", "support", "hospitality"} <= {
        t.field for t in vocabulary
    }
