package user

import "strings"

// Device describes the browser and system a session signed in from, from
// its User-Agent, as people name them ("Firefox on Windows"), or "Unknown
// device".
func Device(userAgent string) string {
	ua := strings.ToLower(userAgent)
	browser := ""
	for _, b := range []struct{ token, name string }{
		{"edg/", "Edge"}, {"opr/", "Opera"}, {"firefox/", "Firefox"}, {"chromium/", "Chromium"},
		{"headlesschrome/", "Chrome"}, {"chrome/", "Chrome"}, {"crios/", "Chrome"}, {"safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, s := range []struct{ token, name string }{
		{"iphone", "iPhone"}, {"ipad", "iPad"}, {"android", "Android"}, {"windows", "Windows"},
		{"mac os x", "macOS"}, {"cros", "ChromeOS"}, {"linux", "Linux"},
	} {
		if strings.Contains(ua, s.token) {
			system = s.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + " on " + system
	case browser != "":
		return browser
	case system != "":
		return "A browser on " + system
	}
	return "Unknown device"
}
