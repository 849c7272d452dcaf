"""The words synthetic core-table data is drawn from: the same on every engine, so seeded projects compare."""

CORE_SEEDED = ("events", "persons", "person_distinct_ids", "sessions", "groups")
EVENT_NAMES = (
    ["$pageview"] * 6 + ["$autocapture"] * 3 + ["$pageleave"] * 2 + ["signup", "purchase", "$identify"]
)
BROWSERS = ["Chrome", "Safari", "Firefox", "Edge", "Opera"]
OSES = ["Mac OS X", "Windows", "iOS", "Android", "Linux"]
PATHS = ["/", "/pricing", "/docs", "/blog", "/signup", "/login", "/product", "/about"]
COUNTRIES = ["US", "GB", "DE", "FR", "IN", "BR", "CA", "NL"]
PLANS = ["free", "free", "free", "startup", "scale", "enterprise"]
INDUSTRIES = ["SaaS", "Retail", "Fintech", "Health", "Media", "Education"]
