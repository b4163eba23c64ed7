package desk

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"yanshou/pipeline/store/ledger"
)

// Cookie names: the session, and the login form's double-submit CSRF token
// (there is no session yet to bind it to).
const (
	sessionCookie = "yanshou_session"
	loginCookie   = "yanshou_login_csrf"
)

type ctxKey struct{}

// session returns the request's session, set by authed.
func session(r *http.Request) *ledger.Session {
	s, _ := r.Context().Value(ctxKey{}).(*ledger.Session)
	return s
}

// authed lets a request with a live session through, with the session in its
// context; any other goes to the login page. A POST must also carry the
// session's CSRF token.
func (s *Server) authed(next http.HandlerFunc) http.HandlerFunc {
	return s.authedForm(next, true)
}

// authedStream is authed for a form the handler reads part by part (an
// upload): the handler checks the CSRF token (and the Origin) itself, since
// reading the form here would read the whole body.
func (s *Server) authedStream(next http.HandlerFunc) http.HandlerFunc {
	return s.authedForm(next, false)
}

func (s *Server) authedForm(next http.HandlerFunc, checkForm bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var token string
		if c, err := r.Cookie(sessionCookie); err == nil {
			token = c.Value
		}
		sess, err := s.o.Ledger.Session(token, s.o.Now())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if sess == nil {
			if r.Method == http.MethodGet && !strings.Contains(r.URL.Path, "/v/") {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.status(w, r, http.StatusUnauthorized, "未登录或登录已过期，请重新登录")
			return
		}
		if checkForm && r.Method != http.MethodGet && r.Method != http.MethodHead && !s.csrfOK(r, sess.CSRF) {
			s.status(w, r, http.StatusForbidden, "表单已失效（缺少或不符的校验码），请刷新页面后重试")
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, sess)))
	}
}

// csrfOK checks a form's token against want, and that a browser's Origin, when
// it sends one, is this server.
func (s *Server) csrfOK(r *http.Request, want string) bool {
	return originOK(r) && s.tokenOK(r.PostFormValue("csrf"), want)
}

// originOK reports whether a browser's Origin, when it sends one, is this server.
func originOK(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	return true
}

// tokenOK compares a form's CSRF token with the session's in constant time.
func (s *Server) tokenOK(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.o.Secure, SameSite: http.SameSiteStrictMode}
}

type loginView struct {
	page
	Login, Next, Error string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, r, http.StatusOK, "", r.URL.Query().Get("next"), "")
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, code int, login, next, msg string) {
	token := randomToken()
	http.SetCookie(w, s.cookie(loginCookie, token, 3600))
	s.render(w, r, code, "login.html", loginView{page: page{Title: "登录", CSRF: token, Office: s.office()},
		Login: login, Next: safeNext(next), Error: msg})
}

// safeNext keeps a redirect after login on this site: a local path only.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\x00\r\n") {
		return "/"
	}
	return next
}

// clientAddr is the peer's address without its port; a proxy's forwarded
// headers are not trusted (the desk is meant to be reached directly).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	login := strings.TrimSpace(r.PostFormValue("login"))
	next := r.PostFormValue("next")
	c, err := r.Cookie(loginCookie)
	if err != nil || !s.csrfOK(r, c.Value) {
		s.renderLogin(w, r, http.StatusForbidden, login, next, "登录表单已失效，请重新输入后提交")
		return
	}
	select {
	case s.hashing <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	u, err := s.o.Ledger.Authenticate(login, r.PostFormValue("password"), clientAddr(r), s.o.Limit, s.o.Now())
	<-s.hashing
	switch {
	case errors.Is(err, ledger.ErrLocked):
		s.o.Logger.Warn("login locked", "login", login, "addr", clientAddr(r))
		s.renderLogin(w, r, http.StatusTooManyRequests, login, next, ledger.ErrLocked.Error())
		return
	case errors.Is(err, ledger.ErrBadLogin):
		s.renderLogin(w, r, http.StatusUnauthorized, login, next, ledger.ErrBadLogin.Error())
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	token, _, err := s.o.Ledger.NewSession(u.Login, s.o.SessionTTL, s.o.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, s.cookie(sessionCookie, token, int(s.o.SessionTTL.Seconds())))
	http.SetCookie(w, s.cookie(loginCookie, "", -1))
	s.o.Logger.Info("login", "login", u.Login, "role", string(u.Role), "addr", clientAddr(r))
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.o.Ledger.EndSession(c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, s.cookie(sessionCookie, "", -1))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
