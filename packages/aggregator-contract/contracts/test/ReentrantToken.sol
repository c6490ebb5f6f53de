// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title ReentrantToken
 * @notice Test-only ERC-20 that, once armed, calls back into a target (e.g. the aggregator's
 * claim()) from inside every transfer, to prove that the target resists reentrancy.
 */
contract ReentrantToken is ERC20 {
    address private _target;
    bytes private _payload;
    bool private _entered;

    /// @notice Whether the last reentrant call succeeded.
    bool public reentrySucceeded;
    /// @notice Revert data of the last reentrant call.
    bytes public reentryError;

    constructor() ERC20("reentrant", "RE") {}

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /**
     * @notice Calls `target` with `data` as this contract (so the token itself can act as a hospital
     * in tests), bubbling up any revert.
     */
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory result) = target.call(data);
        if (!ok) {
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
        return result;
    }

    /// @notice Makes every later transfer call `target` with `payload` once (nested calls are not repeated).
    function arm(address target, bytes calldata payload) external {
        _target = target;
        _payload = payload;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (_target != address(0) && !_entered) {
            _entered = true;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory data) = _target.call(_payload);
            reentrySucceeded = ok;
            reentryError = data;
            _entered = false;
        }
    }
}
