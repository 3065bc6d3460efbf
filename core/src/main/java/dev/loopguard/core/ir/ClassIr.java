package dev.loopguard.core.ir;

import java.util.List;

/**
 * A class definition. Its body is the {@link FunctionIr} of kind CLASS_BODY with the same id.
 *
 * @param id unique within the project, as for functions (usually the qualified name)
 * @param qualifiedName dotted name ({@code pkg.mod.Service}, {@code pkg.mod.f.<locals>.Local})
 * @param name simple name
 * @param span the whole definition
 * @param bases base class expressions in order (metaclass and keywords excluded)
 * @param decorators decorator expressions, outermost first
 * @param scope id of the scope the class statement is in
 */
public record ClassIr(
    String id,
    String qualifiedName,
    String name,
    Span span,
    List<Ref> bases,
    List<Ref> decorators,
    String scope) {}
