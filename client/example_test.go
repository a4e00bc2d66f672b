package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"time"

	"github.com/gmsctl/gmsctl/client"
	"github.com/gmsctl/gmsctl/client/gmstest"
)

// The documented GMS example against the bundled mock: start a request-interaction with
// the user's phone number, language and picture; match the call that dials the access
// number; read back the user data GMS stored.
func Example() {
	srv, err := gmstest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	c, err := client.New(srv.URL, client.WithTimeout(30*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	created, err := c.Services.Create(ctx, "request-interaction", client.NewForm().
		Add("_phone_number", "6504669999").
		Add("_provide_code", "true").
		Add("language", "french").
		AddFile("FileKey", "testdata/MyPic.png"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("dial:", created.AccessNumber, "code digits:", len(created.AccessCode))

	match, err := c.Services.MatchInteraction(ctx, client.MatchInteractionParams{
		AccessNumber: created.AccessNumber,
		AccessCode:   created.AccessCode,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("matched the created service:", match.First().ID == created.ID)

	data, err := c.Storage.Get(ctx, match.First().DataID)
	if err != nil {
		log.Fatal(err)
	}
	pic := data["FileKey"].File
	fmt.Println("language:", data["language"].Value)
	fmt.Println("picture:", pic.Filename, pic.ContentType, pic.Size, "bytes")
	// Output:
	// dial: 8003449999 code digits: 4
	// matched the created service: true
	// language: french
	// picture: MyPic.png image/png 74 bytes
}

// Errors from the server are *client.APIError values, matched with errors.Is and read
// with errors.As.
func Example_errors() {
	srv, err := gmstest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, err := client.New(srv.URL)
	if err != nil {
		log.Fatal(err)
	}

	_, err = c.Services.RequestInteraction(context.Background(),
		client.RequestInteractionParams{PhoneNumber: "6504669999", ResourceGroup: "NONE"})
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("status:", apiErr.StatusCode, apiErr.Exception)
	}
	_, err = c.Storage.Get(context.Background(), "no-such-id")
	fmt.Println("not found:", errors.Is(err, client.ErrNotFound))
	// Output:
	// status: 400 com.genesyslab.gsg.GSGException
	// not found: true
}

// Storage keeps strings and files for a time-to-live; GetValue streams one value back.
func ExampleStorageAPI_GetValue() {
	srv, err := gmstest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, err := client.New(srv.URL)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	id, err := c.Storage.Create(ctx, 10*time.Minute, client.NewForm().
		Add("greeting", "bonjour à tous").
		AddFile("picture", "testdata/MyPic.png"))
	if err != nil {
		log.Fatal(err)
	}
	v, err := c.Storage.GetValue(ctx, id, "greeting")
	if err != nil {
		log.Fatal(err)
	}
	defer v.Body.Close()
	text, err := io.ReadAll(v.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s (%s)\n", text, v.ContentType)
	// Output:
	// bonjour à tous (text/plain; charset=utf-8)
}
