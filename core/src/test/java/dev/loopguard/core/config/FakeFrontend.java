package dev.loopguard.core.config;

import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.frontend.PathConventions;
import dev.loopguard.core.frontend.SourceFile;
import dev.loopguard.core.ir.ModuleIr;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A frontend with a project file {@code build.toml} holding a {@code tool.loopguard} table. */
final class FakeFrontend implements LanguageFrontend {
  @Override
  public String id() {
    return "fake";
  }

  @Override
  public List<String> extensions() {
    return List.of(".fake");
  }

  @Override
  public String lineCommentPrefix() {
    return "#";
  }

  @Override
  public List<String> knowledgePacks() {
    return List.of();
  }

  @Override
  public PathConventions conventions() {
    return new PathConventions(List.of("tests/**"), List.of("scripts/**"));
  }

  @Override
  public Map<String, String> configFiles() {
    return Map.of("build.toml", "tool.loopguard");
  }

  @Override
  public String moduleName(String relativePath, Predicate<String> exists) {
    return relativePath.replace('/', '.');
  }

  @Override
  public ModuleIr lower(SourceFile file) {
    throw new UnsupportedOperationException();
  }
}
