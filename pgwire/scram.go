package pgwire

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
)

// scramIterations is the PBKDF2 iteration count offered to clients
// (PostgreSQL's default).
const scramIterations = 4096

// scram authenticates the client with SCRAM-SHA-256 (RFC 5802, RFC 7677)
// against password: the password never crosses the connection. Channel
// binding is not offered.
func (ss *session) scram(password string) error {
	ss.be.Send(&pgproto3.AuthenticationSASL{AuthMechanisms: []string{"SCRAM-SHA-256"}})
	if err := ss.be.Flush(); err != nil {
		return errQuiet
	}
	if err := ss.be.SetAuthType(pgproto3.AuthTypeSASL); err != nil {
		return err
	}
	msg, err := ss.be.Receive()
	if err != nil {
		return errQuiet
	}
	first, ok := msg.(*pgproto3.SASLInitialResponse)
	if !ok || first.AuthMechanism != "SCRAM-SHA-256" {
		return ss.fatal(codeInvalidAuthSpec, "expected SASL authentication with SCRAM-SHA-256")
	}
	// client-first-message: gs2-header "n,," (or "y,,") then n=user,r=nonce.
	cfm := string(first.Data)
	if !strings.HasPrefix(cfm, "n,,") && !strings.HasPrefix(cfm, "y,,") {
		return ss.fatal(codeInvalidAuthSpec, "SCRAM: channel binding is not supported")
	}
	bare := cfm[3:]
	clientNonce := ""
	for _, f := range strings.Split(bare, ",") {
		if strings.HasPrefix(f, "r=") {
			clientNonce = f[2:]
		}
	}
	if clientNonce == "" {
		return ss.fatal(codeProtocolViolation, "SCRAM: client-first-message without a nonce")
	}
	var nb, salt [18]byte
	_, _ = rand.Read(nb[:])
	_, _ = rand.Read(salt[:])
	nonce := clientNonce + base64.StdEncoding.EncodeToString(nb[:])
	sfm := fmt.Sprintf("r=%s,s=%s,i=%d", nonce, base64.StdEncoding.EncodeToString(salt[:]), scramIterations)
	ss.be.Send(&pgproto3.AuthenticationSASLContinue{Data: []byte(sfm)})
	if err := ss.be.Flush(); err != nil {
		return errQuiet
	}
	if err := ss.be.SetAuthType(pgproto3.AuthTypeSASLContinue); err != nil {
		return err
	}
	msg, err = ss.be.Receive()
	if err != nil {
		return errQuiet
	}
	resp, ok := msg.(*pgproto3.SASLResponse)
	if !ok {
		return ss.fatal(codeProtocolViolation, "SCRAM: expected the client-final-message")
	}
	// client-final-message: c=biws,r=nonce,p=proof
	cf := string(resp.Data)
	i := strings.LastIndex(cf, ",p=")
	if i < 0 {
		return ss.fatal(codeProtocolViolation, "SCRAM: client-final-message without a proof")
	}
	withoutProof := cf[:i]
	proof, err := base64.StdEncoding.DecodeString(cf[i+3:])
	if err != nil || !strings.Contains(withoutProof+",", ",r="+nonce+",") {
		return ss.fatal(codeInvalidPassword, "password authentication failed")
	}
	salted, err := pbkdf2.Key(sha256.New, password, salt[:], scramIterations, sha256.Size)
	if err != nil {
		return err
	}
	clientKey := hmacSHA256(salted, "Client Key")
	storedKey := sha256.Sum256(clientKey)
	authMessage := bare + "," + sfm + "," + withoutProof
	sig := hmacSHA256(storedKey[:], authMessage)
	if len(proof) != len(sig) {
		return ss.fatal(codeInvalidPassword, "password authentication failed")
	}
	got := make([]byte, len(proof))
	for j := range proof {
		got[j] = proof[j] ^ sig[j]
	}
	gotStored := sha256.Sum256(got)
	if !hmac.Equal(gotStored[:], storedKey[:]) {
		return ss.fatal(codeInvalidPassword, "password authentication failed")
	}
	serverKey := hmacSHA256(salted, "Server Key")
	ss.be.Send(&pgproto3.AuthenticationSASLFinal{Data: []byte("v=" + base64.StdEncoding.EncodeToString(hmacSHA256(serverKey, authMessage)))})
	return nil
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}
