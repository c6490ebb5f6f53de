// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/**
 * @title FedToken
 * @notice The ERC-20 token a fedchain consortium uses for hospital stake and round rewards.
 * @dev Only holders of MINTER_ROLE (the consortium's governance) can mint. Permit (EIP-2612) lets a
 * hospital approve its stake with a signature instead of a separate transaction.
 */
contract FedToken is ERC20, ERC20Permit, AccessControl {
    /// @notice Role allowed to mint new tokens.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /**
     * @param admin Account that receives DEFAULT_ADMIN_ROLE and MINTER_ROLE.
     */
    constructor(address admin) ERC20("fedchain token", "FED") ERC20Permit("fedchain token") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
    }

    /**
     * @notice Mints `amount` tokens to `to`.
     * @param to Recipient of the new tokens.
     * @param amount Amount in the token's smallest unit (18 decimals).
     */
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }
}
