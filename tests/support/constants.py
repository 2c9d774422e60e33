"""Values shared by the tests: the app's base URL in unit tests, the app key, the all.js URL."""
APP_BASE_URL = "https://work-sync.test/app"
APP_KEY = "work-sync"
ALL_JS_URL = "https://connect-cdn.atl-paas.net/all.js"
