package fr.sesame.ops;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 description of /api/v1, written by hand beside the code (api/openapi.json),
 * served as it is.
 */
public final class ApiDocument {
    public static final String RESOURCE = "/api/openapi.json";
    private final byte[] document;

    public ApiDocument() {
        try (InputStream in = ApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null)
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void serve(Context ctx) {
        // Public, and no-store like every answer but static files (it changes with each release).
        ctx.contentType("application/json").result(document);
    }
}
