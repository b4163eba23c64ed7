package ledger

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// accountsSchema is the migration that adds the review desk's accounts: users
// with their argon2id hash and its parameters, sessions by the SHA-256 of their
// token (a copied database opens no session), and every login attempt.
const accountsSchema = `
CREATE TABLE IF NOT EXISTS users (
	login        TEXT PRIMARY KEY,
	display_name TEXT NOT NULL,
	role         TEXT NOT NULL,
	institution  TEXT NOT NULL DEFAULT '',
	kdf          TEXT NOT NULL,
	kdf_time     INTEGER NOT NULL,
	kdf_memory   INTEGER NOT NULL,
	kdf_threads  INTEGER NOT NULL,
	salt         BLOB NOT NULL,
	hash         BLOB NOT NULL,
	disabled     INTEGER NOT NULL DEFAULT 0,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
	token_hash TEXT PRIMARY KEY,
	login      TEXT NOT NULL REFERENCES users(login),
	csrf       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_login ON sessions(login);
CREATE TABLE IF NOT EXISTS logins (
	id     INTEGER PRIMARY KEY,
	at     TEXT NOT NULL,
	login  TEXT NOT NULL,
	ip     TEXT NOT NULL,
	ok     INTEGER NOT NULL,
	reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS logins_login ON logins(login, at);
CREATE INDEX IF NOT EXISTS logins_ip ON logins(ip, at);
`

// Role is what an account may do at the review desk.
type Role string

// The roles of the measures: the office's reviewer and its head, and one
// account per institution.
const (
	RoleReviewer    Role = "审核人"
	RoleHead        Role = "负责人"
	RoleInstitution Role = "机构"
)

// ParseRole returns the role named by s (its Chinese name or reviewer, head,
// institution), or an error in Chinese.
func ParseRole(s string) (Role, error) {
	switch strings.TrimSpace(s) {
	case string(RoleReviewer), "reviewer":
		return RoleReviewer, nil
	case string(RoleHead), "head":
		return RoleHead, nil
	case string(RoleInstitution), "institution":
		return RoleInstitution, nil
	}
	return "", fmt.Errorf("角色 %q 无效：应为 审核人、负责人 或 机构", s)
}

// Office reports whether the role belongs to the county office (sees every class).
func (r Role) Office() bool { return r == RoleReviewer || r == RoleHead }

// User is one account of the review desk.
type User struct {
	Login       string
	DisplayName string
	Role        Role
	Institution string // the institution a 机构 account belongs to; empty for the office
	Disabled    bool
}

// Scope is what classes the user may see: every class for the office, the
// institution's own for an institution account. The zero Scope sees nothing.
func (u *User) Scope() Scope {
	if u == nil || u.Disabled {
		return Scope{}
	}
	if u.Role.Office() {
		return Scope{All: true}
	}
	if u.Role == RoleInstitution && u.Institution != "" {
		return Scope{Institution: u.Institution}
	}
	return Scope{}
}

// KDFParams are argon2id's cost parameters; they are stored with each hash, so
// raising them later leaves existing passwords valid.
type KDFParams struct {
	Time    uint32 // passes
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultKDF is RFC 9106's second recommended argon2id setting (3 passes,
// 64 MiB) with two lanes for the office's small machines.
var DefaultKDF = KDFParams{Time: 3, Memory: 64 * 1024, Threads: 2}

const (
	saltLen = 16
	hashLen = 32
	// MinPassword is the shortest password accepted, in characters.
	MinPassword = 10
)

// ErrBadLogin is returned for an unknown account, a wrong password or a
// disabled account alike, so a login form tells nothing about which.
var ErrBadLogin = errors.New("账号或密码错误")

// ErrLocked is returned while an account or an address has failed too often.
var ErrLocked = errors.New("登录失败次数过多，请 15 分钟后再试")

// ErrNoUser is wrapped by errors about an account that does not exist.
var ErrNoUser = errors.New("账号不存在")

func checkPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPassword {
		return fmt.Errorf("密码至少 %d 个字符", MinPassword)
	}
	return nil
}

func derive(pw string, salt []byte, p KDFParams) []byte {
	return argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, hashLen)
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// AddUser creates an account with the given password hashed by argon2id under
// p and a fresh random salt.
func (l *Ledger) AddUser(u User, password string, p KDFParams, now time.Time) error {
	u.Login = strings.TrimSpace(u.Login)
	if u.Login == "" || strings.ContainsAny(u.Login, " \t\r\n") {
		return fmt.Errorf("账号 %q 无效：不能为空，不能含空白", u.Login)
	}
	if u.DisplayName == "" {
		u.DisplayName = u.Login
	}
	if _, err := ParseRole(string(u.Role)); err != nil {
		return err
	}
	if u.Role == RoleInstitution && strings.TrimSpace(u.Institution) == "" {
		return fmt.Errorf("机构账号 %s 须写明所属培训机构", u.Login)
	}
	if u.Role != RoleInstitution {
		u.Institution = ""
	}
	if err := checkPassword(password); err != nil {
		return err
	}
	salt := make([]byte, saltLen)
	rand.Read(salt)
	res, err := l.db.Exec(`INSERT INTO users(login, display_name, role, institution, kdf, kdf_time, kdf_memory, kdf_threads, salt, hash, disabled, created_at, updated_at)
		VALUES(?,?,?,?,'argon2id',?,?,?,?,?,0,?,?) ON CONFLICT(login) DO NOTHING`,
		u.Login, u.DisplayName, string(u.Role), strings.TrimSpace(u.Institution), p.Time, p.Memory, p.Threads, salt, derive(password, salt, p), rfc(now), rfc(now))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("账号 %s 已存在", u.Login)
	}
	return nil
}

// SetPassword replaces an account's password (new salt, parameters p) and ends
// its sessions.
func (l *Ledger) SetPassword(login, password string, p KDFParams, now time.Time) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	salt := make([]byte, saltLen)
	rand.Read(salt)
	return l.updateUser(login, `UPDATE users SET kdf='argon2id', kdf_time=?, kdf_memory=?, kdf_threads=?, salt=?, hash=?, updated_at=? WHERE login=?`,
		p.Time, p.Memory, p.Threads, salt, derive(password, salt, p), rfc(now), login)
}

// SetDisabled disables (or enables again) an account; disabling ends its
// sessions. The account and its audit stay in the ledger.
func (l *Ledger) SetDisabled(login string, disabled bool, now time.Time) error {
	return l.updateUser(login, `UPDATE users SET disabled=?, updated_at=? WHERE login=?`, disabled, rfc(now), login)
}

func (l *Ledger) updateUser(login, q string, args ...any) error {
	tx, err := l.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.Exec(q, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w：%s", ErrNoUser, login)
	}
	if _, err := tx.Exec(`DELETE FROM sessions WHERE login=?`, login); err != nil {
		return err
	}
	return tx.Commit()
}

// User returns an account, or nil when there is none.
func (l *Ledger) User(login string) (*User, error) {
	var u User
	var role string
	err := l.db.QueryRow(`SELECT login, display_name, role, institution, disabled FROM users WHERE login=?`, login).
		Scan(&u.Login, &u.DisplayName, &role, &u.Institution, &u.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	u.Role = Role(role)
	return &u, err
}

// Users lists every account by login.
func (l *Ledger) Users() ([]User, error) {
	rows, err := l.db.Query(`SELECT login, display_name, role, institution, disabled FROM users ORDER BY login`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var role string
		if err := rows.Scan(&u.Login, &u.DisplayName, &role, &u.Institution, &u.Disabled); err != nil {
			return nil, err
		}
		u.Role = Role(role)
		out = append(out, u)
	}
	return out, rows.Err()
}

// LoginLimit is how many failed logins lock an account or an address, and for
// how long.
type LoginLimit struct {
	PerAccount int           // failures of one account since its last success
	PerAddress int           // failures from one address, whatever the account
	Window     time.Duration // how far back failures count (and so how long a lock lasts)
}

// DefaultLoginLimit: 5 failures of an account or 20 from an address in 15
// minutes lock it for the rest of those 15 minutes.
var DefaultLoginLimit = LoginLimit{PerAccount: 5, PerAddress: 20, Window: 15 * time.Minute}

// dummySalt is hashed against when the account does not exist, so an unknown
// login costs as much time as a known one.
var dummySalt = make([]byte, saltLen)

// Authenticate checks a password, recording the attempt with the client's
// address. It returns ErrLocked while the account or the address is over the
// limit (the password is then not even checked), ErrBadLogin for an unknown
// account, a wrong password or a disabled account.
func (l *Ledger) Authenticate(login, password, addr string, limit LoginLimit, now time.Time) (*User, error) {
	since := rfc(now.Add(-limit.Window))
	var lastOK string
	if err := l.db.QueryRow(`SELECT COALESCE(MAX(at),'') FROM logins WHERE login=? AND ok=1`, login).Scan(&lastOK); err != nil {
		return nil, err
	}
	if lastOK > since {
		since = lastOK
	}
	byAccount, err := l.count(`SELECT COUNT(*) FROM logins WHERE login=? AND ok=0 AND at>?`, login, since)
	if err != nil {
		return nil, err
	}
	byAddr, err := l.count(`SELECT COUNT(*) FROM logins WHERE ip=? AND ok=0 AND at>?`, addr, rfc(now.Add(-limit.Window)))
	if err != nil {
		return nil, err
	}
	if byAccount >= limit.PerAccount || byAddr >= limit.PerAddress {
		return nil, l.audit(login, addr, false, "locked", now, ErrLocked)
	}
	var u User
	var role string
	var p KDFParams
	var salt, hash []byte
	err = l.db.QueryRow(`SELECT login, display_name, role, institution, disabled, kdf_time, kdf_memory, kdf_threads, salt, hash FROM users WHERE login=?`, login).
		Scan(&u.Login, &u.DisplayName, &role, &u.Institution, &u.Disabled, &p.Time, &p.Memory, &p.Threads, &salt, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		derive(password, dummySalt, DefaultKDF)
		return nil, l.audit(login, addr, false, "unknown", now, ErrBadLogin)
	}
	if err != nil {
		return nil, err
	}
	u.Role = Role(role)
	if subtle.ConstantTimeCompare(derive(password, salt, p), hash) != 1 {
		return nil, l.audit(login, addr, false, "password", now, ErrBadLogin)
	}
	if u.Disabled {
		return nil, l.audit(login, addr, false, "disabled", now, ErrBadLogin)
	}
	return &u, l.audit(login, addr, true, "ok", now, nil)
}

func (l *Ledger) audit(login, addr string, ok bool, reason string, now time.Time, result error) error {
	if _, err := l.db.Exec(`INSERT INTO logins(at, login, ip, ok, reason) VALUES(?,?,?,?,?)`, rfc(now), login, addr, ok, reason); err != nil {
		return err
	}
	return result
}

// LoginAttempt is one recorded login.
type LoginAttempt struct {
	At     time.Time
	Login  string
	Addr   string
	OK     bool
	Reason string // ok, password, unknown, disabled, locked
}

// Logins returns the recorded attempts of an account (every account when login
// is empty), oldest first.
func (l *Ledger) Logins(login string) ([]LoginAttempt, error) {
	rows, err := l.db.Query(`SELECT at, login, ip, ok, reason FROM logins WHERE ?='' OR login=? ORDER BY id`, login, login)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LoginAttempt
	for rows.Next() {
		var a LoginAttempt
		var at string
		if err := rows.Scan(&at, &a.Login, &a.Addr, &a.OK, &a.Reason); err != nil {
			return nil, err
		}
		a.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Session is a logged-in browser: its user and the CSRF token its forms carry.
type Session struct {
	User    User
	CSRF    string
	Expires time.Time
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func tokenHash(token string) string {
	s := sha256.Sum256([]byte(token))
	return hex.EncodeToString(s[:])
}

// NewSession opens a session for login lasting ttl and returns its token (32
// random bytes, hex) for the cookie; the ledger keeps only its SHA-256.
func (l *Ledger) NewSession(login string, ttl time.Duration, now time.Time) (token string, s *Session, err error) {
	token = randomHex(32)
	csrf := randomHex(32)
	if _, err := l.db.Exec(`DELETE FROM sessions WHERE expires_at<=?`, rfc(now)); err != nil {
		return "", nil, err
	}
	if _, err := l.db.Exec(`INSERT INTO sessions(token_hash, login, csrf, created_at, expires_at) VALUES(?,?,?,?,?)`,
		tokenHash(token), login, csrf, rfc(now), rfc(now.Add(ttl))); err != nil {
		return "", nil, err
	}
	u, err := l.User(login)
	if err != nil || u == nil {
		return "", nil, fmt.Errorf("%w：%s", ErrNoUser, login)
	}
	return token, &Session{User: *u, CSRF: csrf, Expires: now.Add(ttl)}, nil
}

// Session returns the live session of a token, or nil when the token is
// unknown, expired or its account disabled.
func (l *Ledger) Session(token string, now time.Time) (*Session, error) {
	if token == "" {
		return nil, nil
	}
	var s Session
	var role, expires string
	err := l.db.QueryRow(`SELECT u.login, u.display_name, u.role, u.institution, u.disabled, s.csrf, s.expires_at
		FROM sessions s JOIN users u ON u.login = s.login WHERE s.token_hash=?`, tokenHash(token)).
		Scan(&s.User.Login, &s.User.DisplayName, &role, &s.User.Institution, &s.User.Disabled, &s.CSRF, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s.User.Role = Role(role)
	s.Expires, _ = time.Parse(time.RFC3339, expires)
	if !now.Before(s.Expires) || s.User.Disabled {
		return nil, nil
	}
	return &s, nil
}

// EndSession removes a session (logout).
func (l *Ledger) EndSession(token string) error {
	_, err := l.db.Exec(`DELETE FROM sessions WHERE token_hash=?`, tokenHash(token))
	return err
}
