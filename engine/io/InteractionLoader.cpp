// Opening interaction data by path: a file with a format, or a folder / .zip described by
// lens-atlas.json (io/InteractionReader.h).
#include <stdexcept>
#include <system_error>

#include "io/FileSource.h"
#include "io/InteractionReader.h"
#include "io/JsonFile.h"
#include "util/Errors.h"

namespace lens {
namespace {

bool isZip(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".zip";
}

struct Descriptor {
    std::string interactions, items, name;
    std::optional<InteractionFormat> format;
    std::optional<ItemsFormat> itemsFormat;
};

Descriptor readDescriptor(const FileBytes& file) {
    JsonSyntaxError syntax;
    const auto doc = parseJson(file.content, &syntax);
    if (!doc) throw DataError(file.name, syntax.line, syntax.reason);
    if (!doc->is_object()) throw DataError(file.name, 0, "must hold one JSON object");
    Descriptor d;
    const auto text = [&](const char* key, bool required) -> std::string {
        const auto it = doc->find(key);
        if (it == doc->end()) {
            if (required) throw DataError(file.name, 0, std::string("'") + key + "' is missing");
            return {};
        }
        if (!it->is_string() || it->get<std::string>().empty())
            throw DataError(file.name, 0, std::string("'") + key + "' must be a non-empty string");
        return it->get<std::string>();
    };
    for (const auto& [key, value] : doc->items()) {
        (void)value;
        if (key != "interactions" && key != "format" && key != "items" && key != "items_format" &&
            key != "name")
            throw DataError(
                file.name, 0,
                "unknown key '" + key + "' (interactions, format, items, items_format, name)");
    }
    d.interactions = text("interactions", true);
    d.items = text("items", false);
    d.name = text("name", false);
    try {
        if (const std::string f = text("format", false); !f.empty())
            d.format = parseInteractionFormat(f);
        if (const std::string f = text("items_format", false); !f.empty())
            d.itemsFormat = parseItemsFormat(f);
    } catch (const std::invalid_argument& e) {
        throw DataError(file.name, 0, e.what());
    }
    return d;
}

// The bytes of a file named by a descriptor (inside the folder or zip); no escaping it.
FileBytes readNamed(const FileSource& source, const std::string& name, const FileBytes& from) {
    if (name.find("..") != std::string::npos || (!name.empty() && name.front() == '/'))
        throw DataError(from.name, 0,
                        "'" + name + "' must be a file name inside the folder, without '..'");
    if (!source.exists(name))
        throw DataError(from.name, 0,
                        "names '" + name + "', which is not in " + source.displayName());
    return source.read(name);
}

}  // namespace

std::optional<Dataset> loadInteractionData(const std::filesystem::path& path,
                                           const LoadOptions& options) {
    std::error_code ec;
    const bool plainFile = std::filesystem::is_regular_file(path, ec) && !isZip(path);
    if (plainFile) {
        if (!options.format)
            throw DataError(path.string(), 0,
                            "not a folder or a .zip: a single file of your own opens with "
                            "--format \"user=0,item=1,rating=2,time=3\" (or put a " +
                                std::string(kDescriptorFileName) + " beside it)");
        std::optional<std::string> items;
        if (!options.itemsFile.empty()) items = readWholeFile(options.itemsFile);
        return readInteractionsFile(
            path, path.string(), *options.format, path.stem().string(), options,
            items ? std::optional<std::string_view>(*items) : std::nullopt,
            options.itemsFile.string(), options.itemsFormat.value_or(ItemsFormat{}));
    }
    if (!std::filesystem::exists(path, ec)) return std::nullopt;  // FileSource names the error
    const auto source = FileSource::open(path);
    if (!source->exists(kDescriptorFileName)) {
        if (options.format)
            throw std::invalid_argument("--format: " + path.string() + " is a folder without " +
                                        kDescriptorFileName + ": give the interaction file itself");
        return std::nullopt;
    }
    const FileBytes descriptorFile = source->read(kDescriptorFileName);
    const Descriptor d = readDescriptor(descriptorFile);
    const InteractionFormat format =
        options.format ? *options.format
        : d.format     ? *d.format
                       : throw DataError(descriptorFile.name, 0, "'format' is missing");
    // The interaction file: read in pieces when it is on disk, else whole (from a zip).
    const std::filesystem::path onDisk = d.interactions.find("..") == std::string::npos &&
                                                 d.interactions.front() != '/' &&
                                                 source->exists(d.interactions)
                                             ? source->diskPath(d.interactions)
                                             : std::filesystem::path();
    FileBytes data;
    if (onDisk.empty()) data = readNamed(*source, d.interactions, descriptorFile);
    std::optional<FileBytes> items;
    ItemsFormat itemsFormat = options.itemsFormat.value_or(d.itemsFormat.value_or(ItemsFormat{}));
    if (!options.itemsFile.empty()) {
        items = FileBytes{options.itemsFile.string(), readWholeFile(options.itemsFile)};
    } else if (!d.items.empty()) {
        items = readNamed(*source, d.items, descriptorFile);
    }
    const std::string datasetName = d.name.empty() ? source->releaseName() : d.name;
    const std::optional<std::string_view> itemsText =
        items ? std::optional<std::string_view>(items->content) : std::nullopt;
    const std::string itemsName = items ? items->name : std::string();
    if (!onDisk.empty())
        return readInteractionsFile(onDisk, source->displayNameOf(d.interactions), format,
                                    datasetName, options, itemsText, itemsName, itemsFormat);
    return readInteractions(data.content, data.name, format, datasetName, options, itemsText,
                            itemsName, itemsFormat);
}

}  // namespace lens
