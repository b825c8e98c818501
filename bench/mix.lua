-- A mix of what readers do: document pages (with a party filter and a past date),
-- searches (page and API) and compares.
local paths = {
  "/docs/section-h",
  "/docs/section-g?party=dcc",
  "/docs/section-d?at=2019-10-01",
  "/api/v1/documents/section-a",
  "/search?q=security+assessment&party=dcc",
  "/api/v1/search?q=user+entry",
  "/api/v1/search?q=%22code+administrator%22&at=2019-10-01",
  "/docs/section-h/compare?from=1.0&to=3.0",
  "/api/v1/compare?doc=section-d&from=1.0&to=3.0",
  "/docs",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
