#pragma once
// The hyper-parameters every alternating-least-squares variant shares (AlsModel, GenrePriorAls
// through AlsModel, ImplicitAls): factors k, lambda, iterations, init_sigma, seed and cg_steps,
// parsed and range-checked once so the variants cannot drift apart. No maths here: the ranges
// are those documented in each model's hyperparameters() list.
#include <string>

#include "models/Recommender.h"

namespace lens {

// Sets `key` on a config with the fields factors, lambda, iterations, initSigma, seed and
// cgSteps. Returns false (and changes nothing) when `key` is not one of those; throws
// std::invalid_argument for a value out of range, like the parse*Hyperparameter helpers.
template <class AlsConfigT>
bool setSharedAlsHyperparameter(AlsConfigT& config, const std::string& key,
                                const std::string& value) {
    if (key == "k")
        config.factors = parseIntHyperparameter(key, value, 1, 256);
    else if (key == "lambda")
        config.lambda = parseRealHyperparameter(key, value, 0, 1e6);
    else if (key == "iterations")
        config.iterations = parseIntHyperparameter(key, value, 1, 1000);
    else if (key == "init_sigma")
        config.initSigma = parseRealHyperparameter(key, value, 0, 10);
    else if (key == "seed")
        config.seed = parseSeedHyperparameter(key, value);
    else if (key == "cg_steps")
        config.cgSteps = parseIntHyperparameter(key, value, 0, 64);
    else
        return false;
    return true;
}

}  // namespace lens
