package fr.sesame.auth;

import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** A guardian's language: the roster's, until the parent chooses another. */
interface GuardianLanguageDao {
    @SqlQuery("select language from guardian where id = :id")
    Optional<String> language(@Bind("id") long guardianId);

    @SqlUpdate("update guardian set language = :language where id = :id and language <> :language")
    int setLanguage(@Bind("id") long guardianId, @Bind("language") String language);
}
