#pragma once
// The hyper-parameters every alternating-least-squares variant shares (AlsModel, GenrePriorAls
// through AlsModel, ImplicitAls): factors k, lambda, iterations, init_sigma, seed and cg_steps,
// parsed once so the variants cannot drift apart. No maths and no ranges here: each value is
// range-checked against the model's own descriptor (Recommender::hyperparameters(): minimum,
// maximum, integer), where the ranges live once.
#include <stdexcept>
#include <string>

#include "models/Recommender.h"

namespace lens {

// The descriptor of `key` in a hyperparameters() list; throws std::logic_error when the model
// does not describe it (a programming error: every key a model sets is in its list).
inline const Hyperparameter& describedHyperparameter(const HyperparameterList& descriptors,
                                                     const std::string& key) {
    for (const Hyperparameter& h : descriptors)
        if (h.key == key) return h;
    throw std::logic_error("hyper-parameter '" + key + "' has no descriptor");
}

// `value` parsed and range-checked as the descriptor of `key` says (integer or real, minimum and
// maximum); throws std::invalid_argument like the parse*Hyperparameter helpers.
inline int describedInt(const HyperparameterList& descriptors, const std::string& key,
                        const std::string& value) {
    const Hyperparameter& h = describedHyperparameter(descriptors, key);
    return parseIntHyperparameter(key, value, static_cast<int>(h.minimum),
                                  static_cast<int>(h.maximum));
}
inline double describedReal(const HyperparameterList& descriptors, const std::string& key,
                            const std::string& value) {
    const Hyperparameter& h = describedHyperparameter(descriptors, key);
    return parseRealHyperparameter(key, value, h.minimum, h.maximum);
}

// Sets `key` on a config with the fields factors, lambda, iterations, initSigma, seed and
// cgSteps, checked against `descriptors` (the model's hyperparameters()). Returns false (and
// changes nothing) when `key` is not one of those; throws std::invalid_argument for a value out
// of range.
template <class AlsConfigT>
bool setSharedAlsHyperparameter(AlsConfigT& config, const HyperparameterList& descriptors,
                                const std::string& key, const std::string& value) {
    if (key == "k")
        config.factors = describedInt(descriptors, key, value);
    else if (key == "lambda")
        config.lambda = describedReal(descriptors, key, value);
    else if (key == "iterations")
        config.iterations = describedInt(descriptors, key, value);
    else if (key == "init_sigma")
        config.initSigma = describedReal(descriptors, key, value);
    else if (key == "seed")
        config.seed = parseSeedHyperparameter(key, value);
    else if (key == "cg_steps")
        config.cgSteps = describedInt(descriptors, key, value);
    else
        return false;
    return true;
}

}  // namespace lens
