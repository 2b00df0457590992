#pragma once
// The third-party model files in shared/models beside the project (see its README): they are
// never copied into the repository. The main checkout is <root>/main and a worktree
// <root>/wt/<name>, so look one and two levels up from the source directory.

#include <filesystem>

namespace layerlens::test {

// The file's path, or an empty path when it is not present (the test then skips).
inline std::filesystem::path sharedModel(const char* name)
{
    const std::filesystem::path source(LAYERLENS_SOURCE_DIR);
    for (const std::filesystem::path& root : {source.parent_path(), source.parent_path().parent_path()})
        if (std::filesystem::exists(root / "shared" / "models" / name))
            return root / "shared" / "models" / name;
    return {};
}

}  // namespace layerlens::test
