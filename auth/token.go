package auth

import "crypto/hmac"

// Token is a signed token for an action named by purpose on parts (an alert's unsubscribe
// link, say): whoever holds it may do that action without a session. It is made with the
// session signing key, so that every replica accepts the tokens of the others.
func (s *Signer) Token(purpose string, parts ...string) string {
	return s.mac(append([]string{"token", purpose}, parts...)...)
}

// CheckToken reports whether token is Token(purpose, parts...).
func (s *Signer) CheckToken(token, purpose string, parts ...string) bool {
	return token != "" && hmac.Equal([]byte(token), []byte(s.Token(purpose, parts...)))
}
