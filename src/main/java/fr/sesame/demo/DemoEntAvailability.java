package fr.sesame.demo;

/**
 * Whether the demo ENT's provider (mock-oauth2-server) is on the class path: the production jar
 * leaves it out, the demo jar (built with {@code -Pdemo}) has it. Asked before {@link DemoEnt} is
 * touched, whose loading would fail.
 */
public final class DemoEntAvailability {
    public static final String WHAT_TO_DO =
            "message=\"The demo ENT sign-in is not in this jar (the production jar "
                    + "leaves it out): parents can still sign in with a letter code. For the demo ENT, build and start the "
                    + "demo jar: mvn -q -DskipTests -Pdemo package && java -jar target/sesame-demo.jar --demo\"";

    private DemoEntAvailability() {}

    public static boolean inThisJar() {
        try {
            Class.forName(
                    "no.nav.security.mock.oauth2.MockOAuth2Server",
                    false,
                    DemoEntAvailability.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
