package main

// Word lists for the sentence grammar. They were written for this generator: ordinary English
// words of the kind a regulatory code uses, with no sentence taken from any text. Earlier
// entries of each list are drawn more often (a Zipf distribution), as in real prose.

var nouns = []string{
	"arrangement", "notice", "request", "obligation", "procedure", "report", "record", "service",
	"information", "party", "device", "system", "requirement", "assessment", "plan", "change",
	"agreement", "period", "date", "decision", "charge", "payment", "process", "document",
	"provision", "test", "response", "application", "register", "event", "incident", "breach",
	"dispute", "audit", "policy", "standard", "control", "role", "account", "meter", "network",
	"premises", "consumer", "supplier", "operator", "licence", "consent", "certificate", "key",
	"credential", "message", "interface", "specification", "release", "schedule", "proposal",
	"modification", "panel", "committee", "member", "meeting", "vote", "election", "appointment",
	"contract", "invoice", "estimate", "forecast", "volume", "tariff", "reading", "profile",
	"configuration", "firmware", "update", "vulnerability", "risk", "threat", "mitigation",
	"recovery", "suspension", "termination", "accession", "withdrawal", "default", "remedy",
	"liability", "indemnity", "warranty", "confidentiality", "disclosure", "publication",
	"consultation", "representation", "evidence", "review", "approval", "rejection", "appeal",
	"determination", "direction", "instruction", "guidance", "methodology", "calculation",
	"threshold", "limit", "capacity", "performance", "measure", "target", "outage", "fault",
	"repair", "installation", "commissioning", "decommissioning", "inventory", "asset", "gateway",
	"hub", "channel", "connection", "alert", "log", "archive", "retention", "deletion", "privacy",
	"security", "integrity", "availability", "resilience", "continuity", "migration", "transition",
	"enrolment", "registration", "verification", "validation", "authentication", "authorisation",
	"revocation", "renewal", "expiry", "signature", "ceremony", "custodian", "repository",
	"ledger", "reconciliation", "settlement", "budget", "cost", "recharge", "credit", "debit",
}

var adjectives = []string{
	"relevant", "reasonable", "applicable", "written", "material", "such", "appropriate",
	"affected", "necessary", "prior", "further", "technical", "operational", "commercial",
	"temporary", "permanent", "existing", "proposed", "annual", "monthly", "quarterly", "final",
	"interim", "preliminary", "detailed", "current", "previous", "subsequent", "separate",
	"complete", "accurate", "secure", "confidential", "public", "independent", "substantive",
	"minor", "major", "urgent", "routine", "scheduled", "unscheduled", "planned", "unplanned",
	"known", "suspected", "actual", "potential", "significant", "adverse", "additional",
	"consistent", "compatible", "competent", "qualified", "accredited", "registered", "certified",
	"authorised", "unauthorised", "valid", "invalid", "expired", "revoked", "pending", "open",
	"closed", "active", "dormant", "remote", "local", "central", "regional", "national", "digital",
	"physical", "electronic", "manual", "automatic", "periodic", "continuous", "timely",
}

var verbs = []string{
	"provide", "maintain", "publish", "notify", "ensure", "submit", "review", "approve",
	"establish", "retain", "record", "assess", "consider", "determine", "implement", "comply with",
	"prepare", "update", "send", "receive", "process", "verify", "validate", "confirm", "monitor",
	"report", "investigate", "remedy", "suspend", "terminate", "reinstate", "install", "replace",
	"configure", "test", "operate", "support", "procure", "recover", "pay", "invoice", "calculate",
	"estimate", "disclose", "protect", "encrypt", "revoke", "renew", "issue", "register",
	"deregister", "consult", "appoint", "remove", "convene", "escalate", "resolve", "refer",
	"document", "audit", "inspect", "certify", "withdraw", "amend", "reject", "accept", "allocate",
	"apportion", "reconcile", "archive", "delete", "restore", "limit", "extend", "defer",
}

var adverbs = []string{
	"promptly", "reasonably", "properly", "securely", "accurately", "fully", "separately",
	"jointly", "independently", "periodically", "immediately", "subsequently", "expressly",
	"materially", "temporarily", "permanently", "electronically", "formally", "diligently",
}

var numberWords = []string{"two", "three", "five", "ten", "fifteen", "twenty", "thirty", "sixty", "ninety"}

var timeUnits = []string{"Working Days", "days", "months", "weeks"}

// termHeads and termMods make the defined terms ("Registered Metering Agent").
var termHeads = []string{
	"Agent", "Provider", "Register", "Service", "Request", "Notice", "Procedure", "Assessment",
	"Framework", "Certificate", "Device", "Hub", "Gateway", "Report", "Plan", "Operator", "Body",
	"Forum", "Group", "Authority", "Administrator", "Manager", "Officer", "Agreement", "Account",
	"Charge", "Period", "Date", "Event", "Incident", "Policy", "Standard", "Specification",
	"Interface", "Message", "Key", "Credential", "Store", "Repository", "Directory", "Portal",
	"Channel", "Network", "System", "Test", "Window", "Threshold", "Measure", "Plan", "Role",
}

var termMods = []string{
	"Smart", "Registered", "Authorised", "Central", "Regional", "Technical", "Primary", "Secondary",
	"Communications", "Security", "Privacy", "Data", "Supply", "Metering", "Settlement",
	"Enrolment", "Recovery", "Incident", "Release", "Testing", "Service", "Change", "Access",
	"Key", "Device", "Network", "Consumer", "Premises", "Firmware", "Alert", "Audit", "Charging",
	"Performance", "Continuity", "Migration", "Commissioning", "Certificate", "Trust", "Root",
	"Operational", "Interim", "Annual", "Emergency", "Transitional", "Independent", "Shared",
	"Core", "Local", "Remote", "Gas", "Electricity", "Export", "Import", "Prepayment", "Tariff",
}

// headingWords make part and sub-heading titles.
var headingWords = []string{
	"General", "Scope", "Obligations", "Procedures", "Requirements", "Notices", "Records",
	"Reporting", "Testing", "Charges", "Payment", "Suspension", "Termination", "Disputes",
	"Liability", "Confidentiality", "Security", "Privacy", "Assurance", "Audit", "Access",
	"Registration", "Enrolment", "Recovery", "Continuity", "Performance", "Governance",
	"Appointment", "Meetings", "Voting", "Publication", "Transition", "Migration", "Devices",
	"Services", "Credentials", "Keys", "Certificates", "Incidents", "Releases", "Changes",
	"Interfaces", "Messages", "Settlement", "Forecasts", "Budgets", "Accession", "Withdrawal",
}
