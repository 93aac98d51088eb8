# Sourced by the selftest steps that render HTML pages (35-timeline, 60-linearizability).
# find_browser prints the command of an installed Chromium (Debian names it chromium, others
# chromium-browser or google-chrome), or nothing.
find_browser() {
  local name
  for name in chromium chromium-browser google-chrome; do
    if command -v "$name" > /dev/null; then
      echo "$name"
      return
    fi
  done
}
