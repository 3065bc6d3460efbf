package dev.loopguard.python.lower;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ModuleNamesTest {

  private static Predicate<String> files(String... paths) {
    Set<String> set = Set.of(paths);
    return set::contains;
  }

  @Test
  void packageChainStartsAtTopmostInit() {
    Predicate<String> exists = files("src/pkg/__init__.py", "src/pkg/sub/__init__.py");
    assertThat(ModuleNames.moduleName("src/pkg/sub/m.py", exists)).isEqualTo("pkg.sub.m");
    assertThat(ModuleNames.moduleName("src/pkg/sub/__init__.py", exists)).isEqualTo("pkg.sub");
    assertThat(ModuleNames.moduleName("src/pkg/__init__.py", exists)).isEqualTo("pkg");
    assertThat(ModuleNames.moduleName("src/pkg/a.py", exists)).isEqualTo("pkg.a");
  }

  @Test
  void chainMustBeContiguous() {
    // src/pkg has no __init__.py: the chain stops at sub.
    Predicate<String> exists = files("src/__init__.py", "src/pkg/sub/__init__.py");
    assertThat(ModuleNames.moduleName("src/pkg/sub/m.py", exists)).isEqualTo("sub.m");
  }

  @Test
  void withoutInitTheRootRelativePathIsUsed() {
    assertThat(ModuleNames.moduleName("app/routers/users.py", files()))
        .isEqualTo("app.routers.users");
    assertThat(ModuleNames.moduleName("main.py", files())).isEqualTo("main");
    assertThat(ModuleNames.moduleName("app/__init__.py", files("app/__init__.py")))
        .isEqualTo("app");
    assertThat(ModuleNames.moduleName("./app/x.py", files())).isEqualTo("app.x");
  }

  @Test
  void aliasesStripFoldersAboveThePackageRootOnly() {
    Predicate<String> exists = files("src/pkg/__init__.py", "src/pkg/sub/__init__.py");
    // Inside a package imports are absolute: "m" or "sub.m" never name src/pkg/sub/m.py.
    assertThat(ModuleNames.moduleAliases("src/pkg/sub/m.py", exists))
        .containsExactly("src.pkg.sub.m");
    assertThat(ModuleNames.moduleAliases("app/routers/users.py", files()))
        .containsExactly("routers.users", "users");
    assertThat(ModuleNames.moduleAliases("main.py", files())).isEmpty();
    assertThat(ModuleNames.moduleAliases("src/pkg/__init__.py", exists))
        .containsExactly("src.pkg");
  }

  @Test
  void packageInitIsRecognised() {
    assertThat(ModuleNames.isPackageInit("a/b/__init__.py")).isTrue();
    assertThat(ModuleNames.isPackageInit("__init__.py")).isTrue();
    assertThat(ModuleNames.isPackageInit("a/b/init.py")).isFalse();
  }
}
