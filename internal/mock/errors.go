package mock

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Java exception class names GMS puts in its error bodies.
const (
	excGSG          = "com.genesyslab.gsg.GSGException"
	excNotFound     = "com.genesyslab.gsg.services.NotFoundException"
	excUnauthorized = "com.genesyslab.gsg.UnauthorizedException"
	excUnavailable  = "com.genesyslab.gsg.services.ResourceUnavailableException"
	excMediaType    = "com.genesyslab.gsg.UnsupportedMediaTypeException"
	excTooLarge     = "com.genesyslab.gsg.RequestTooLargeException"
	excMethod       = "com.genesyslab.gsg.MethodNotAllowedException"
	excConflict     = "com.genesyslab.gsg.ConflictException"
	excInternal     = "com.genesyslab.gsg.InternalErrorException"
)

const authRealm = "Genesys Application Configuration Needed"

// apiError is an error answer: an HTTP status and the GMS {"exception","message"} body.
type apiError struct {
	status    int
	exception string
	message   string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.status, e.message) }

func badRequest(format string, args ...any) *apiError {
	return &apiError{http.StatusBadRequest, excGSG, fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *apiError {
	return &apiError{http.StatusNotFound, excNotFound, fmt.Sprintf(format, args...)}
}

func missingParam(name string) *apiError {
	return badRequest("Missing mandatory parameter %s", name)
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, map[string]string{"exception": e.exception, "message": e.message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"exception":"` + excInternal + `","message":"cannot encode answer"}`)
	}
	writeRawJSON(w, status, body)
}

func writeRawJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache, no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
