package client

import (
	"context"
	"net/http"
)

// ServiceStorageAPI reads and writes the app data of a service instance
// (/genesys/1/service/{serviceID}/storage): the user data GMS stored when the service was
// created. Get it from [Client.ServiceStorage].
type ServiceStorageAPI struct{ c *Client }

// GetAll reads every key: GET /genesys/1/service/{serviceID}/storage.
func (s *ServiceStorageAPI) GetAll(ctx context.Context, serviceID string) (StorageData, error) {
	if err := checkSegment("service ID", serviceID); err != nil {
		return nil, err
	}
	return getStorageData(ctx, s.c, gmsPath("service", serviceID, "storage"))
}

// Get reads the raw value of one key: GET /genesys/1/service/{serviceID}/storage/{key}.
// The caller must close the returned Body.
func (s *ServiceStorageAPI) Get(ctx context.Context, serviceID, key string) (*Value, error) {
	path, err := serviceStoragePath(serviceID, key)
	if err != nil {
		return nil, err
	}
	return getValue(ctx, s.c, path)
}

// GetBinary reads a binary value byte for byte:
// GET /genesys/1/service/{serviceID}/storage/binary/{key}. The caller must close the
// returned Body.
func (s *ServiceStorageAPI) GetBinary(ctx context.Context, serviceID, key string) (*Value, error) {
	if err := checkSegment("service ID", serviceID); err != nil {
		return nil, err
	}
	if err := checkSegment("storage key", key); err != nil {
		return nil, err
	}
	return getValue(ctx, s.c, gmsPath("service", serviceID, "storage", "binary", key))
}

// Update merges form into the instance's app data: POST /genesys/1/service/{serviceID}/storage.
func (s *ServiceStorageAPI) Update(ctx context.Context, serviceID string, form *Form) error {
	if err := checkSegment("service ID", serviceID); err != nil {
		return err
	}
	path := gmsPath("service", serviceID, "storage")
	return s.c.sendDiscard(ctx, &call{method: http.MethodPost, path: path, form: form})
}

// DeleteKey deletes one key: DELETE /genesys/1/service/{serviceID}/storage/{key}.
func (s *ServiceStorageAPI) DeleteKey(ctx context.Context, serviceID, key string) error {
	path, err := serviceStoragePath(serviceID, key)
	if err != nil {
		return err
	}
	return s.c.sendDiscard(ctx, &call{method: http.MethodDelete, path: path})
}

func serviceStoragePath(serviceID, key string) ([]string, error) {
	if err := checkSegment("service ID", serviceID); err != nil {
		return nil, err
	}
	if err := checkSegment("storage key", key); err != nil {
		return nil, err
	}
	return gmsPath("service", serviceID, "storage", key), nil
}
