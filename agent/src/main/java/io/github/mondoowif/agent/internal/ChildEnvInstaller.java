package io.github.mondoowif.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicReference;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;

/**
 * The one place that touches byte-buddy: weaves {@link ProcessBuilderAdvice} into
 * {@code java.lang.ProcessBuilder}. Runs on a background thread, never on the thread that runs
 * {@code premain}. Internal.
 *
 * <p>Instrumenting a bootstrap class takes three precautions. The {@link Advice} is built before the
 * transformer is registered (building it while {@code ProcessBuilder} loads ends in a
 * {@code ClassCircularityError}). The class is already loaded and is retransformed in place, so the woven
 * code keeps the class's shape: no new fields or methods, no initializer (byte-buddy's "frozen" instrumented
 * type with the implementation context disabled), which is all the JVM allows a retransformation. And the
 * transformer answers only for {@code java/lang/ProcessBuilder}, so the bootstrap classes byte-buddy's own
 * {@code AgentBuilder} would ignore by default are neither a cost nor a risk.
 *
 * <p>This uses byte-buddy's {@code Advice} and {@code ByteBuddy.redefine} directly rather than its
 * {@code AgentBuilder}: one class needs no type matching machinery, and leaving it out saves a few hundred
 * milliseconds of class loading in the background and a good part of the jar.
 */
final class ChildEnvInstaller implements ClassFileTransformer {
  static final String TARGET = "java.lang.ProcessBuilder";
  private static final String TARGET_INTERNAL = "java/lang/ProcessBuilder";

  private final AsmVisitorWrapper advice;
  private final ByteBuddy byteBuddy;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean woven;

  private ChildEnvInstaller() {
    this.advice = Advice.to(ProcessBuilderAdvice.class)
        .on(isMethod().and(named("start")).and(not(isStatic())).and(returns(named("java.lang.Process"))));
    this.byteBuddy = new ByteBuddy()
        .with(TypeValidation.DISABLED)
        .with(InstrumentedType.Factory.Default.FROZEN)
        .with(Implementation.Context.Disabled.Factory.INSTANCE)
        .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
  }

  /**
   * Installs the advice and retransforms {@code ProcessBuilder}.
   *
   * @throws IllegalStateException when the JVM refused, naming why
   */
  static void install(Instrumentation instrumentation) {
    if (!instrumentation.isRetransformClassesSupported()) {
      throw new IllegalStateException(
          "this JVM does not retransform classes (the agent jar's manifest must say Can-Retransform-Classes: true)");
    }
    Class<?> target = ProcessBuilder.class; // loaded before the transformer exists
    ChildEnvInstaller transformer = new ChildEnvInstaller();
    instrumentation.addTransformer(transformer, true);
    try {
      instrumentation.retransformClasses(target);
    } catch (Exception | LinkageError e) {
      instrumentation.removeTransformer(transformer);
      throw new IllegalStateException("the JVM refused to retransform " + TARGET + ": " + e.getClass().getName(), e);
    }
    Throwable t = transformer.failure.get();
    if (t != null || !transformer.woven) {
      instrumentation.removeTransformer(transformer);
      throw new IllegalStateException("byte-buddy could not weave " + TARGET
          + (t == null ? "" : ": " + t.getClass().getName()), t);
    }
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classfileBuffer) {
    // Only retransformations: ProcessBuilder is loaded before this transformer is registered, and
    // describing a class from within its own first definition is what ends in ClassCircularityError.
    if (loader != null || classBeingRedefined == null || !TARGET_INTERNAL.equals(className)) {
      return null;
    }
    try {
      TypeDescription type = TypeDescription.ForLoadedType.of(classBeingRedefined);
      ClassFileLocator locator = new ClassFileLocator.Compound(
          ClassFileLocator.Simple.of(TARGET, classfileBuffer), ClassFileLocator.ForClassLoader.ofBootLoader());
      byte[] bytes = byteBuddy.redefine(type, locator).visit(advice).make().getBytes();
      woven = true;
      return bytes;
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
      return null;
    }
  }
}
