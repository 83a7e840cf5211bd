package fr.sesame.support;

import fr.sesame.demo.DemoSeed;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The set-up of a {@link SesameTest} class: one real app on its own fresh database (with the demo
 * town if asked), closed after the class. It fills the class's static fields of type {@link
 * TestApp} and {@link Jdbi}, and its static {@link SignedIn} {@link Http} fields, before the
 * class's own {@code @BeforeAll}; the same types are handed as parameters, plus a {@link Browser}
 * (sized by {@link Viewport}) that is closed after its test.
 */
public final class SesameApp implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SesameApp.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> testClass = context.getRequiredTestClass();
        SesameTest settings = testClass.getAnnotation(SesameTest.class);
        if (settings != null && settings.browser()) Browser.assumeChromium();
        TestApp app = app(context);
        for (Field field : testClass.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) continue;
            SignedIn as = field.getAnnotation(SignedIn.class);
            // a plain Http field is the class's own business (e.g. a client made in its @BeforeAll)
            if (field.getType() == Http.class && as == null) continue;
            Object value = valueFor(field.getType(), as, app, context, true);
            if (value == null) continue;
            field.setAccessible(true);
            field.set(null, value);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestApp.class
                || type == Jdbi.class
                || type == Http.class
                || type == Browser.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Parameter p = parameter.getParameter();
        if (p.getType() == Browser.class) {
            Viewport size = p.getAnnotation(Viewport.class);
            Browser browser =
                    size == null
                            ? Browser.open(360, 740)
                            : Browser.open(size.width(), size.height(), size.language());
            // the test's own store: the browser closes when the test ends, passed or not
            context.getStore(NAMESPACE).put(new Object(), browser);
            return browser;
        }
        boolean forTheClass = context.getTestMethod().isEmpty();
        Object value =
                valueFor(
                        p.getType(),
                        p.getAnnotation(SignedIn.class),
                        app(context),
                        context,
                        forTheClass);
        if (value == null)
            throw new ParameterResolutionException(
                    "SesameApp cannot give a " + p.getType().getSimpleName());
        return value;
    }

    /** The class's app, started on first use and closed with the class's store. */
    private static TestApp app(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        return classContext
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        TestApp.class,
                        k -> start(classContext.getRequiredTestClass()),
                        TestApp.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) c = c.getParent().get();
        return c;
    }

    private static TestApp start(Class<?> testClass) {
        SesameTest settings = testClass.getAnnotation(SesameTest.class);
        Map<String, String> env = new LinkedHashMap<>();
        if (settings != null) {
            for (String pair : settings.env()) {
                int eq = pair.indexOf('=');
                if (eq < 1)
                    throw new ExtensionConfigurationException(
                            "env entries read NAME=value, not " + pair);
                env.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        TestApp app = TestApp.start(env);
        if (settings != null && settings.demo()) new DemoSeed(app.jdbi()).seed();
        return app;
    }

    private static Object valueFor(
            Class<?> type,
            SignedIn as,
            TestApp app,
            ExtensionContext context,
            boolean forTheClass) {
        if (type == TestApp.class) return app;
        if (type == Jdbi.class) return app.jdbi();
        if (type != Http.class) return null;
        if (as == null) return app.client();
        if (!forTheClass) return signIn(app, as.value());
        return classContext(context)
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(as.value(), role -> signIn(app, as.value()), Http.class);
    }

    private static Http signIn(TestApp app, SignedIn.Role role) {
        return switch (role) {
            case PARENT -> SignIn.parent(app);
            case TRAINER -> SignIn.trainer(app);
            case SCHOOL_STAFF -> SignIn.schoolStaff(app);
            case ADMIN -> SignIn.admin(app);
        };
    }
}
