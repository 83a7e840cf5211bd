package fr.sesame.roster;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sesame.audit.Actor;
import fr.sesame.json.Json;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Views;
import fr.sesame.web.WebApp;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin's roster import: upload the files, read the preview, commit. */
public final class ImportController {
    private static final Logger log = LoggerFactory.getLogger(ImportController.class);

    /** Four files of 10 MB at most, and the form around them. */
    public static final long MAX_UPLOAD_BYTES = 4L * RosterCsv.MAX_FILE_BYTES + 1024 * 1024;

    static final int PROBLEMS_SHOWN = 500;

    /**
     * An oversized body is read and dropped up to this size, so that the browser gets the answer;
     * beyond, cut.
     */
    static final long DRAIN_LIMIT_BYTES = 200L * 1024 * 1024;

    private static final List<String> FIELDS = List.of("pupils", "guardians", "links", "devices");
    private static final ObjectMapper JSON = Json.mapper();

    /**
     * The model of the import page: the form, and after an upload its preview (or the commit's
     * result).
     */
    public record ImportPage(
            Long uploadId,
            Map<String, String> fileNames,
            RosterImport.Outcome outcome,
            boolean committed,
            String notice) {
        public List<Problem> shownProblems() {
            return outcome == null
                    ? List.of()
                    : outcome.problems().stream().limit(PROBLEMS_SHOWN).toList();
        }

        public int hiddenProblems() {
            return outcome == null ? 0 : Math.max(0, outcome.problems().size() - PROBLEMS_SHOWN);
        }

        public String fileName(String field) {
            return fileNames.get(field);
        }
    }

    private final Views views;
    private final RosterImport roster;

    public ImportController(Views views, RosterImport roster) {
        this.views = views;
        this.roster = roster;
    }

    /**
     * Before the upload's body is read (the CSRF check reads multipart forms): a body over the
     * limit is answered at once with a plain page, never parsed.
     */
    public void rejectOversized(Context ctx) {
        if (!ctx.method().name().equals("POST")) return;
        long length = ctx.req().getContentLengthLong();
        boolean multipart = ctx.contentType() != null && ctx.contentType().startsWith("multipart/");
        if (length > MAX_UPLOAD_BYTES || (multipart && length < 0)) {
            // Read the body through and drop it: a browser still sending would not see an answer
            // sent before.
            if (!drained(ctx, DRAIN_LIMIT_BYTES)) ctx.header("Connection", "close");
            ctx.status(length < 0 ? 411 : 413);
            views.render(
                    ctx,
                    "error/error.jte",
                    new WebApp.ErrorPage(
                            413,
                            "roster.upload.toolarge.title",
                            "roster.upload.toolarge.text",
                            null));
            ctx.skipRemainingHandlers();
        }
    }

    private static boolean drained(Context ctx, long limit) {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = ctx.req().getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > limit) return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public void form(Context ctx) {
        views.render(ctx, "roster/import.jte", new ImportPage(null, Map.of(), null, false, null));
    }

    public void upload(Context ctx) {
        boolean multipart = ctx.contentType() != null && ctx.contentType().startsWith("multipart/");
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        if (multipart) {
            try {
                for (String field : FIELDS) {
                    UploadedFile file = ctx.uploadedFile(field);
                    if (file == null
                            || (file.size() == 0
                                    && (file.filename() == null || file.filename().isBlank()))) {
                        continue;
                    }
                    if (file.size() > RosterCsv.MAX_FILE_BYTES) {
                        // read no further than needed to say it is too large
                        files.put(field, new byte[RosterCsv.MAX_FILE_BYTES + 1]);
                    } else {
                        try (InputStream in = file.content()) {
                            files.put(field, in.readAllBytes());
                        }
                    }
                    names.put(field, file.filename() == null ? "" : file.filename());
                }
            } catch (IOException | UncheckedIOException | IllegalStateException e) {
                log.info("event=roster_upload_unreadable reason={}", e.getClass().getSimpleName());
                ctx.status(400);
                views.render(
                        ctx,
                        "roster/import.jte",
                        new ImportPage(null, Map.of(), null, false, "roster.upload.unreadable"));
                return;
            }
        }
        RosterImport.Files parsed =
                new RosterImport.Files(
                        files.get("pupils"),
                        files.get("guardians"),
                        files.get("links"),
                        files.get("devices"));
        if (parsed.isEmpty()) {
            ctx.status(400);
            views.render(
                    ctx,
                    "roster/import.jte",
                    new ImportPage(null, Map.of(), null, false, "roster.problem.nofile"));
            return;
        }
        boolean tooLarge =
                files.values().stream().anyMatch(b -> b.length > RosterCsv.MAX_FILE_BYTES);
        if (tooLarge) {
            // not worth keeping: show the report straight away
            ctx.status(413);
            views.render(
                    ctx,
                    "roster/import.jte",
                    new ImportPage(null, names, roster.preview(parsed), false, null));
            return;
        }
        CurrentUser admin = CurrentUser.of(ctx);
        long id =
                roster.saveUpload(
                        admin.id(),
                        parsed.pupils(),
                        parsed.guardians(),
                        parsed.links(),
                        parsed.devices(),
                        json(names));
        ctx.redirect("/admin/roster/import/" + id);
    }

    public void preview(Context ctx) {
        RosterDao.Upload upload = storedUpload(ctx);
        Map<String, String> names = names(upload);
        if (upload.committedAt() != null) {
            views.render(
                    ctx,
                    "roster/import.jte",
                    new ImportPage(upload.id(), names, null, true, "roster.import.done"));
            return;
        }
        RosterImport.Outcome outcome = roster.preview(files(upload));
        if (!outcome.ok()) ctx.status(422);
        views.render(
                ctx, "roster/import.jte", new ImportPage(upload.id(), names, outcome, false, null));
    }

    public void commit(Context ctx) {
        RosterDao.Upload upload = storedUpload(ctx);
        Map<String, String> names = names(upload);
        if (upload.committedAt() != null) {
            // a second click: the import is already done
            views.render(
                    ctx,
                    "roster/import.jte",
                    new ImportPage(upload.id(), names, null, true, "roster.import.done"));
            return;
        }
        CurrentUser admin = CurrentUser.of(ctx);
        RosterImport.Outcome outcome;
        try {
            outcome = roster.commit(files(upload), Actor.of(admin), upload.id());
        } catch (RosterImport.NotApplied e) {
            log.warn("event=roster_import_failed upload={}", upload.id(), e);
            ctx.status(409);
            views.render(
                    ctx,
                    "roster/import.jte",
                    new ImportPage(upload.id(), names, null, false, "roster.problem.database"));
            return;
        }
        if (!outcome.ok()) {
            ctx.status(422);
            views.render(
                    ctx,
                    "roster/import.jte",
                    new ImportPage(upload.id(), names, outcome, false, "roster.import.notdone"));
            return;
        }
        log.info(
                "event=roster_import upload={} pupils={} guardians={} devices={}",
                upload.id(),
                outcome.pupils().total(),
                outcome.guardians().total(),
                outcome.devices().total());
        views.render(
                ctx,
                "roster/import.jte",
                new ImportPage(upload.id(), names, outcome, true, "roster.import.done"));
    }

    private RosterDao.Upload storedUpload(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
        return roster.upload(id).orElseThrow(NotFoundResponse::new);
    }

    private static RosterImport.Files files(RosterDao.Upload u) {
        return new RosterImport.Files(u.pupils(), u.guardians(), u.links(), u.devices());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> names(RosterDao.Upload u) {
        try {
            return JSON.readValue(u.fileNames(), Map.class);
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static String json(Map<String, String> names) {
        try {
            return JSON.writeValueAsString(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
